"""The job store: SQLAlchemy 2 async over SQLite (embedded) or PostgreSQL (several instances)."""

from .engine import open_engine
from .jobs import JobRecord, JobStatus, JobStore, ListPage, SubmitState

__all__ = ["JobRecord", "JobStatus", "JobStore", "ListPage", "SubmitState", "open_engine"]
