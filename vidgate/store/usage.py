"""The usage ledger: one row per completed job, kept when the job itself is deleted."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from ..domain import JobRecord
from .models import UsageRow


def usage_row(job: JobRecord, completed_at: float) -> UsageRow:
    return UsageRow(
        job_id=job.id,
        tenant=job.tenant,
        key_id=job.key_id or "",
        provider=job.provider,
        model=job.model,
        seconds=job.seconds,
        completed_at=completed_at,
    )


@dataclass(frozen=True)
class UsageLine:
    key_id: str
    provider: str
    model: str
    seconds: int
    videos: int


class UsageLedger:
    def __init__(self, engine: AsyncEngine) -> None:
        self._session = async_sessionmaker(engine, expire_on_commit=False)

    async def summary(self, tenant: str, since: float = 0) -> list[UsageLine]:
        """Seconds and videos per key, provider and model for the tenant's completed jobs."""
        query = (
            select(
                UsageRow.key_id, UsageRow.provider, UsageRow.model, func.sum(UsageRow.seconds), func.count()
            )
            .where(UsageRow.tenant == tenant, UsageRow.completed_at >= since)
            .group_by(UsageRow.key_id, UsageRow.provider, UsageRow.model)
            .order_by(UsageRow.key_id, UsageRow.provider, UsageRow.model)
        )
        async with self._session() as s:
            rows = (await s.execute(query)).all()
        return [UsageLine(k, p, m, int(sec), int(n)) for k, p, m, sec, n in rows]
