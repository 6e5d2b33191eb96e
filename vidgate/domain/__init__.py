"""The gateway's own language: jobs and their states, callers, ids, media and errors. It imports
nothing else of vidgate; every other package depends inward on it."""

from .callers import Caller, key_digest, key_fingerprint
from .characters import Character
from .errors import (
    BudgetExceeded,
    Conflict,
    GatewayError,
    InvalidRequest,
    LimitExceeded,
    NotFound,
    ProviderFailure,
    RequestMismatch,
    Unavailable,
    unsupported_operation,
)
from .ids import VideoRef, is_character_id, is_job_id, new_character_id, new_job_id, parse_video_id
from .jobs import ACTIVE, JobRecord, JobStatus, ListPage, SubmitState
from .media import ImageInput, VideoInput, sniff_image_type
from .spend import Budget, BudgetPeriod, Reservation, SpendStatus, period_key, period_reset
from .views import video_view

__all__ = [
    "ACTIVE",
    "Budget",
    "BudgetExceeded",
    "BudgetPeriod",
    "Caller",
    "Character",
    "Conflict",
    "GatewayError",
    "ImageInput",
    "InvalidRequest",
    "JobRecord",
    "JobStatus",
    "LimitExceeded",
    "ListPage",
    "NotFound",
    "ProviderFailure",
    "RequestMismatch",
    "Reservation",
    "SpendStatus",
    "SubmitState",
    "Unavailable",
    "VideoInput",
    "VideoRef",
    "is_character_id",
    "is_job_id",
    "key_digest",
    "key_fingerprint",
    "new_character_id",
    "new_job_id",
    "parse_video_id",
    "period_key",
    "period_reset",
    "sniff_image_type",
    "unsupported_operation",
    "video_view",
]
