"""A video job as the gateway keeps it: its status, what it was asked, how far it got upstream."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class JobStatus(StrEnum):
    QUEUED = "queued"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    FAILED = "failed"


ACTIVE = (JobStatus.QUEUED.value, JobStatus.IN_PROGRESS.value)


class SubmitState(StrEnum):
    NONE = "none"  # rendered here: nothing to submit
    SUBMITTING = "submitting"  # recorded before the upstream create call
    SUBMITTED = "submitted"  # recorded after it: upstream_id is known


@dataclass(frozen=True)
class JobRecord:
    id: str
    tenant: str
    provider: str
    model: str
    status: JobStatus
    prompt: str
    seconds: int
    size: str
    created_at: int
    progress: float = 0.0
    params: dict[str, Any] = field(default_factory=dict)
    remixed_from: str | None = None
    error_code: str | None = None
    error_message: str | None = None
    upstream_id: str | None = None
    assets: dict[str, Any] | None = None
    completed_at: int | None = None
    expires_at: int | None = None
    attempts: int = 0
    lease_owner: str | None = None
    upstream: dict[str, Any] | None = None
    submit_state: SubmitState = SubmitState.NONE
    key_id: str | None = None
    reserved_usd: float | None = None  # held against budgets from creation to settlement
    cost_usd: float | None = None  # what it cost, once completed (0 when it failed)
    reservations: tuple[dict[str, Any], ...] = ()
    trace_context: dict[str, str] | None = None  # W3C traceparent/tracestate of its create, if traced

    @property
    def public_id(self) -> str:
        return f"{self.id}:{self.provider}"

    @property
    def active(self) -> bool:
        return self.status.value in ACTIVE


@dataclass(frozen=True)
class ListPage:
    items: list[JobRecord]
    has_more: bool
