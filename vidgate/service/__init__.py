"""The use cases, in the domain's language: create, remix, edit, extend, retrieve, list, delete and
download videos, characters, who is calling, their limits, idempotency. No HTTP here: refusals are
domain errors."""

from .access import AdminKeys, Authenticator, ensure_dev_admin_key, ensure_dev_key
from .admin import AdminService
from .characters import CharacterService
from .operations import VideoOperations
from .rate_limits import RateLimiter
from .spend import SpendPolicy
from .submission import Submitter
from .videos import VARIANTS, ModelNames, VideoService

__all__ = [
    "VARIANTS",
    "AdminKeys",
    "AdminService",
    "Authenticator",
    "CharacterService",
    "ModelNames",
    "RateLimiter",
    "SpendPolicy",
    "Submitter",
    "VideoOperations",
    "VideoService",
    "ensure_dev_admin_key",
    "ensure_dev_key",
]
