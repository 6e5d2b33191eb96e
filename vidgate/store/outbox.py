"""The webhook outbox: an event row written in the same transaction as the job outcome it reports,
then claimed (under a short lease) and settled by whichever instance's dispatcher gets to it."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from ..domain import JobRecord, JobStatus, video_view
from .models import WebhookRow

CLAIM_SECONDS = 30


@dataclass(frozen=True)
class OutboxEvent:
    id: str
    tenant: str
    event_type: str
    payload: str  # the exact body that is signed and sent
    attempts: int
    trace_context: dict[str, str] | None = None  # the job's, so its delivery joins the job's trace


def event_row(
    tenant: str, event_type: str, data: dict[str, Any], trace_context: dict[str, str] | None = None
) -> WebhookRow:
    now = time.time()
    payload = json.dumps({"type": event_type, "timestamp": int(now), "data": data}, separators=(",", ":"))
    return WebhookRow(
        id="msg_" + uuid.uuid4().hex,
        tenant=tenant,
        event_type=event_type,
        payload=payload,
        status="pending",
        attempts=0,
        next_attempt_at=now,
        created_at=now,
        trace_context=trace_context,
    )


class WebhookOutbox:
    def __init__(self, engine: AsyncEngine, tenants: frozenset[str] = frozenset()) -> None:
        self._session = async_sessionmaker(engine, expire_on_commit=False)
        self.tenants = tenants  # the tenants that have a webhook: only their jobs make events

    def add_outcome(self, session: AsyncSession, job: JobRecord) -> None:
        """In the transaction that recorded the job's outcome: its event, if its tenant listens."""
        if job.tenant not in self.tenants:
            return
        kind = "video.completed" if job.status == JobStatus.COMPLETED else "video.failed"
        session.add(event_row(job.tenant, kind, video_view(job), job.trace_context))

    async def claim(self) -> OutboxEvent | None:
        """The oldest due event nobody is delivering, leased to the caller for CLAIM_SECONDS."""
        now = time.time()
        free = (WebhookRow.lease_until.is_(None)) | (WebhookRow.lease_until < now)
        async with self._session() as s:
            row = await s.scalar(
                select(WebhookRow)
                .where(WebhookRow.status == "pending", WebhookRow.next_attempt_at <= now, free)
                .order_by(WebhookRow.next_attempt_at)
                .limit(1)
            )
        if row is None:
            return None
        async with self._session.begin() as s:
            won = await s.execute(
                update(WebhookRow)
                .where(WebhookRow.id == row.id, free)
                .values(lease_until=now + CLAIM_SECONDS)
            )
        if won.rowcount != 1:
            return None
        return OutboxEvent(
            row.id, row.tenant, row.event_type, row.payload, row.attempts, row.trace_context or None
        )

    async def delivered(self, event: OutboxEvent) -> None:
        await self._settle(event, status="delivered", attempts=event.attempts + 1, last_error=None)

    async def gave_up(self, event: OutboxEvent, error: str) -> None:
        await self._settle(event, status="failed", attempts=event.attempts + 1, last_error=error)

    async def retry_later(self, event: OutboxEvent, error: str, delay: float) -> None:
        await self._settle(
            event, attempts=event.attempts + 1, last_error=error, next_attempt_at=time.time() + delay
        )

    async def _settle(self, event: OutboxEvent, **values: Any) -> None:
        async with self._session.begin() as s:
            await s.execute(
                update(WebhookRow).where(WebhookRow.id == event.id).values(lease_until=None, **values)
            )
