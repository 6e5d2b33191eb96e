"""Which parts a process runs (its role) and how many processes of it run on this host, checked
against the database before anything starts: SQLite serves one process, PostgreSQL any number."""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ALL = "all"  # HTTP, and the job worker on its own thread and event loop beside it
    API = "api"  # HTTP only: creates, lookups, downloads; never polls an upstream
    WORKER = "worker"  # the job worker, sweeper and webhook dispatcher only: no HTTP


class RolePlanError(ValueError):
    """A role or process count this database cannot support; the message says what to change."""


@dataclass(frozen=True)
class ProcessPlan:
    role: Role
    processes: int

    @property
    def serves_http(self) -> bool:
        return self.role in (Role.ALL, Role.API)

    @property
    def works_jobs(self) -> bool:
        return self.role in (Role.ALL, Role.WORKER)


def plan_processes(role: str, processes: int | None, database_url: str) -> ProcessPlan:
    """The default count is the cores with PostgreSQL and one with SQLite, whose single file and
    in-process locking serve exactly one gateway process."""
    try:
        chosen = Role(role)
    except ValueError as exc:
        raise RolePlanError(f"unknown role {role!r}: choose all, api or worker") from exc
    sqlite = database_url.startswith("sqlite")
    count = processes if processes is not None else (1 if sqlite else os.cpu_count() or 1)
    if count < 1:
        raise RolePlanError(f"--workers must be at least 1, not {count}")
    if sqlite and (chosen is not Role.ALL or count > 1):
        asked = f"--role {chosen.value}" + (f" --workers {count}" if count > 1 else "")
        raise RolePlanError(
            f"{asked} needs PostgreSQL: several gateway processes share jobs through one database, "
            "and SQLite serves one process. Set VIDGATE_DATABASE_URL=postgresql+asyncpg://user@host/db "
            "(and VIDGATE_ASSET_STORE=s3 across hosts), or run one process: --role all --workers 1."
        )
    return ProcessPlan(chosen, count)
