"""The job store: SQLAlchemy 2 async over SQLite (embedded) or PostgreSQL (several instances)."""

from .engine import open_engine
from .idempotency import Claim, IdempotencyKeys, KeyState
from .jobs import JobRecord, JobStatus, JobStore, ListPage, SubmitState

__all__ = [
    "Claim",
    "IdempotencyKeys",
    "JobRecord",
    "JobStatus",
    "JobStore",
    "KeyState",
    "ListPage",
    "SubmitState",
    "open_engine",
]
