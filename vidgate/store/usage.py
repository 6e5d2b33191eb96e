"""The usage ledger: one row per completed job, kept when the job itself is deleted."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from ..domain import JobRecord
from .models import UsageRow


def usage_row(job: JobRecord, completed_at: float, cost_usd: float | None = None) -> UsageRow:
    return UsageRow(
        job_id=job.id,
        tenant=job.tenant,
        key_id=job.key_id or "",
        provider=job.provider,
        model=job.model,
        seconds=job.seconds,
        completed_at=completed_at,
        cost_usd=cost_usd,
        day=dt.datetime.fromtimestamp(completed_at, dt.UTC).strftime("%Y-%m-%d"),
    )


@dataclass(frozen=True)
class UsageLine:
    tenant: str
    key_id: str
    provider: str
    model: str
    day: str
    seconds: int
    videos: int
    cost_usd: float


class UsageLedger:
    def __init__(self, engine: AsyncEngine) -> None:
        self._session = async_sessionmaker(engine, expire_on_commit=False)

    async def summary(
        self, tenant: str | None, since: float = 0, until: float | None = None
    ) -> list[UsageLine]:
        """Seconds, videos and dollars per tenant, key, provider, model and day (UTC) of completed
        jobs; one tenant's, or every tenant's (the admin report)."""
        query = select(
            UsageRow.tenant,
            UsageRow.key_id,
            UsageRow.provider,
            UsageRow.model,
            UsageRow.day,
            func.sum(UsageRow.seconds),
            func.count(),
            func.coalesce(func.sum(UsageRow.cost_usd), 0.0),
        ).where(UsageRow.completed_at >= since)
        if tenant is not None:
            query = query.where(UsageRow.tenant == tenant)
        if until is not None:
            query = query.where(UsageRow.completed_at < until)
        keys = (UsageRow.tenant, UsageRow.key_id, UsageRow.provider, UsageRow.model, UsageRow.day)
        query = query.group_by(*keys).order_by(*keys)
        async with self._session() as s:
            rows = (await s.execute(query)).all()
        return [
            UsageLine(t, k, p, m, d or "", int(sec), int(n), round(float(cost), 6))
            for t, k, p, m, d, sec, n, cost in rows
        ]
