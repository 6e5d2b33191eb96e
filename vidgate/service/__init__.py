"""The use cases, in the domain's language: create, remix, retrieve, list, delete and download
videos, who is calling, their limits, idempotency. No HTTP here: refusals are domain errors."""

from .access import Authenticator, ensure_dev_key
from .rate_limits import RateLimiter
from .submission import Submitter
from .videos import VARIANTS, ModelNames, VideoService

__all__ = [
    "VARIANTS",
    "Authenticator",
    "ModelNames",
    "RateLimiter",
    "Submitter",
    "VideoService",
    "ensure_dev_key",
]
