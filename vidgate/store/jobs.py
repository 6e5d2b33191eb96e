"""JobStore: every state change is one conditional UPDATE, so two workers can never both win."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import Row, Select, bindparam, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from .models import JobRow, UsageRow, WebhookRow


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

    @property
    def public_id(self) -> str:
        return f"{self.id}:{self.provider}"

    @classmethod
    def from_row(cls, row: JobRow | Row[Any]) -> JobRecord:
        return cls(
            id=row.id,
            tenant=row.tenant,
            provider=row.provider,
            model=row.model,
            status=JobStatus(row.status),
            prompt=row.prompt,
            seconds=row.seconds,
            size=row.size,
            created_at=row.created_at,
            progress=row.progress,
            params=dict(row.params or {}),
            remixed_from=row.remixed_from,
            error_code=row.error_code,
            error_message=row.error_message,
            upstream_id=row.upstream_id,
            assets=dict(row.assets) if row.assets else None,
            completed_at=row.completed_at,
            expires_at=row.expires_at,
            attempts=row.attempts,
            lease_owner=row.lease_owner,
            upstream=dict(row.upstream) if row.upstream else None,
            submit_state=SubmitState(row.submit_state or "none"),
            key_id=row.key_id,
        )


@dataclass(frozen=True)
class ListPage:
    items: list[JobRecord]
    has_more: bool


JOBS = JobRow.__table__
# Built once: the hottest reads (retrieve, download) skip statement construction.
_BY_ID = select(JOBS).where(JOBS.c.id == bindparam("id"))
_BY_KEY = _BY_ID.where(JOBS.c.tenant == bindparam("tenant"), JOBS.c.provider == bindparam("provider"))


class JobStore:
    """The jobs table behind a narrow async interface; the same code serves SQLite and PostgreSQL."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._session = async_sessionmaker(engine, expire_on_commit=False)

    async def close(self) -> None:
        await self._engine.dispose()

    async def _read(self, query: Select[Any], params: dict[str, Any] | None = None) -> list[Row[Any]]:
        """Rows of a read-only Core query (no ORM objects: a retrieve is one of these)."""
        async with self._engine.connect() as conn:
            return list((await conn.execute(query, params)).all())

    async def ping(self) -> None:
        async with self._engine.connect() as conn:
            await conn.execute(select(1))

    # --- API side -------------------------------------------------------------------------

    async def insert(
        self, job: JobRecord, *, lease_owner: str | None = None, lease_seconds: float = 0
    ) -> None:
        """Insert; a job being submitted upstream is inserted leased by its submitter."""
        now = time.time()
        async with self._session.begin() as s:
            s.add(
                JobRow(
                    id=job.id,
                    tenant=job.tenant,
                    provider=job.provider,
                    model=job.model,
                    status=job.status.value,
                    progress=job.progress,
                    prompt=job.prompt,
                    seconds=job.seconds,
                    size=job.size,
                    params=job.params,
                    remixed_from=job.remixed_from,
                    created_at=job.created_at,
                    updated_at=now,
                    attempts=0,
                    submit_state=job.submit_state.value,
                    key_id=job.key_id,
                    lease_owner=lease_owner,
                    lease_until=(now + lease_seconds) if lease_owner else None,
                )
            )

    async def get(self, tenant: str, job_id: str, provider: str) -> JobRecord | None:
        rows = await self._read(_BY_KEY, {"id": job_id, "tenant": tenant, "provider": provider})
        return JobRecord.from_row(rows[0]) if rows else None

    async def get_by_id(self, job_id: str) -> JobRecord | None:
        rows = await self._read(_BY_ID, {"id": job_id})
        return JobRecord.from_row(rows[0]) if rows else None

    async def list(
        self, tenant: str, provider: str | None, *, after: str | None, limit: int, descending: bool
    ) -> ListPage:
        """A page ordered by id (ids are ULIDs: creation order); `after` need not still exist.
        Without a provider: the tenant's jobs of every provider."""
        query = select(JOBS).where(JOBS.c.tenant == tenant)
        if provider is not None:
            query = query.where(JOBS.c.provider == provider)
        if after is not None:
            query = query.where(JOBS.c.id < after if descending else JOBS.c.id > after)
        query = query.order_by(JOBS.c.id.desc() if descending else JOBS.c.id.asc()).limit(limit + 1)
        rows = await self._read(query)
        items = [JobRecord.from_row(r) for r in rows[:limit]]
        return ListPage(items=items, has_more=len(rows) > limit)

    async def counts(self) -> list[tuple[str, str, int]]:
        """(provider, status, jobs) across all tenants, for the metrics gauges."""
        query = select(JobRow.provider, JobRow.status, func.count()).group_by(JobRow.provider, JobRow.status)
        return [(p, st, int(n)) for p, st, n in await self._read(query)]

    async def count_active(self, tenant: str, key_id: str | None = None) -> int:
        query = (
            select(func.count()).select_from(JobRow).where(JobRow.tenant == tenant, JobRow.status.in_(ACTIVE))
        )
        if key_id is not None:
            query = query.where(JobRow.key_id == key_id)
        return int((await self._read(query))[0][0] or 0)

    async def delete(self, tenant: str, job_id: str, provider: str) -> JobRecord | None:
        async with self._session.begin() as s:
            row = await s.scalar(
                select(JobRow).where(
                    JobRow.id == job_id, JobRow.tenant == tenant, JobRow.provider == provider
                )
            )
            if row is None:
                return None
            record = JobRecord.from_row(row)
            await s.execute(delete(JobRow).where(JobRow.id == job_id))
            return record

    # --- worker side: claims and compare-and-set transitions -----------------------------

    async def claim(
        self,
        owner: str,
        providers: list[str],
        lease_seconds: float,
        *,
        max_attempts: int,
        event: Callable[[JobRecord], WebhookRow | None] = lambda _job: None,
    ) -> JobRecord | None:
        """Lease the oldest active job nobody holds (or whose holder's lease ran out); a job over
        its attempts is failed instead, with its event, like every other failure."""
        now = time.time()
        free = (JobRow.lease_until.is_(None)) | (JobRow.lease_until < now)
        due = (JobRow.next_run_at.is_(None)) | (JobRow.next_run_at <= now)
        # New jobs (no next_run_at) first, then the longest overdue. Two index range scans, so
        # the cost follows the jobs that are due, not all the jobs in flight.
        base = select(JobRow.id).where(JobRow.status.in_(ACTIVE), JobRow.provider.in_(providers), free)
        async with self._session() as s:
            ids = list(
                (await s.scalars(base.where(JobRow.next_run_at.is_(None)).order_by(JobRow.id).limit(8))).all()
            )
            if len(ids) < 8:
                overdue = base.where(JobRow.next_run_at <= now).order_by(JobRow.next_run_at, JobRow.id)
                ids += (await s.scalars(overdue.limit(8 - len(ids)))).all()
        for job_id in ids:
            async with self._session.begin() as s:
                result = await s.execute(
                    update(JobRow)
                    .where(JobRow.id == job_id, JobRow.status.in_(ACTIVE), free, due)
                    .values(
                        lease_owner=owner,
                        lease_until=now + lease_seconds,
                        attempts=JobRow.attempts + 1,
                        updated_at=now,
                    )
                )
                if result.rowcount != 1:
                    continue
                row = await s.get(JobRow, job_id)
                assert row is not None
                record = JobRecord.from_row(row)
            if record.attempts > max_attempts:
                await self.fail(
                    job_id,
                    owner,
                    "too_many_attempts",
                    f"gave up after {max_attempts} runs in a row ended without progress "
                    "(the gateway stopping mid-run, or the provider failing every poll)",
                    event,
                )
                continue
            return record
        return None

    async def _cas(self, job_id: str, owner: str, **values: Any) -> bool:
        """Core, not an ORM-enabled UPDATE: the ORM's bulk-update machinery cost ~1 ms a call."""
        values["updated_at"] = time.time()
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(JOBS)
                .where(JOBS.c.id == job_id, JOBS.c.lease_owner == owner, JOBS.c.status.in_(ACTIVE))
                .values(**values)
            )
            return result.rowcount == 1

    async def start(self, job_id: str, owner: str, lease_seconds: float) -> bool:
        return await self._cas(
            job_id,
            owner,
            status=JobStatus.IN_PROGRESS.value,
            lease_until=time.time() + lease_seconds,
        )

    async def heartbeat(self, job_id: str, owner: str, progress: float, lease_seconds: float) -> bool:
        """Record progress and extend the lease; False means the job is gone or no longer ours."""
        return await self._cas(
            job_id,
            owner,
            progress=max(0.0, min(100.0, progress)),
            lease_until=time.time() + lease_seconds,
        )

    async def complete(
        self,
        job: JobRecord,
        owner: str,
        assets: dict[str, Any],
        retention_seconds: int,
        event: Callable[[JobRecord], WebhookRow | None] = lambda _job: None,
    ) -> bool:
        """Mark done, book the seconds of video to the key and queue the webhook, in one transaction."""
        now = time.time()
        async with self._session.begin() as s:
            result = await s.execute(
                update(JobRow)
                .where(JobRow.id == job.id, JobRow.lease_owner == owner, JobRow.status.in_(ACTIVE))
                .values(
                    status=JobStatus.COMPLETED.value,
                    progress=100.0,
                    assets=assets,
                    completed_at=int(now),
                    expires_at=int(now) + retention_seconds,
                    lease_owner=None,
                    lease_until=None,
                    updated_at=now,
                )
            )
            if result.rowcount != 1:
                return False
            await self._queue_event(s, job.id, event)
            s.add(
                UsageRow(
                    job_id=job.id,
                    tenant=job.tenant,
                    key_id=job.key_id or "",
                    provider=job.provider,
                    model=job.model,
                    seconds=job.seconds,
                    completed_at=now,
                )
            )
            return True

    @staticmethod
    async def _queue_event(
        s: AsyncSession, job_id: str, event: Callable[[JobRecord], WebhookRow | None]
    ) -> None:
        """Add the job's webhook event (if any) to the transaction that recorded its outcome."""
        row = await s.get(JobRow, job_id)
        outbox = event(JobRecord.from_row(row)) if row is not None else None
        if outbox is not None:
            s.add(outbox)

    async def usage(self, tenant: str, since: float = 0) -> list[tuple[str, str, str, int, int]]:
        """(key_id, provider, model, seconds, videos) for the tenant's completed jobs."""
        query = (
            select(
                UsageRow.key_id, UsageRow.provider, UsageRow.model, func.sum(UsageRow.seconds), func.count()
            )
            .where(UsageRow.tenant == tenant, UsageRow.completed_at >= since)
            .group_by(UsageRow.key_id, UsageRow.provider, UsageRow.model)
            .order_by(UsageRow.key_id, UsageRow.provider, UsageRow.model)
        )
        async with self._session() as s:
            return [(k, p, m, int(sec), int(n)) for k, p, m, sec, n in (await s.execute(query)).all()]

    async def fail(
        self,
        job_id: str,
        owner: str,
        code: str,
        message: str,
        event: Callable[[JobRecord], WebhookRow | None] = lambda _job: None,
    ) -> bool:
        """Mark failed (and queue the webhook) in one transaction."""
        now = time.time()
        async with self._session.begin() as s:
            result = await s.execute(
                update(JobRow)
                .where(JobRow.id == job_id, JobRow.lease_owner == owner, JobRow.status.in_(ACTIVE))
                .values(
                    status=JobStatus.FAILED.value,
                    error_code=code,
                    error_message=message[:2000],
                    completed_at=int(now),
                    lease_owner=None,
                    lease_until=None,
                    updated_at=now,
                )
            )
            if result.rowcount != 1:
                return False
            await self._queue_event(s, job_id, event)
            return True

    async def assign(
        self,
        job_id: str,
        owner: str,
        *,
        provider: str,
        model: str,
        seconds: int,
        size: str,
        params: dict[str, Any],
        submit_state: SubmitState,
        upstream_id: str | None = None,
        upstream: dict[str, Any] | None = None,
        next_run_at: float | None = None,
    ) -> bool:
        """Record what the accepting provider took (after the upstream create) and hand the job
        to the workers."""
        return await self._cas(
            job_id,
            owner,
            provider=provider,
            model=model,
            seconds=seconds,
            size=size,
            params=params,
            submit_state=submit_state.value,
            upstream_id=upstream_id,
            upstream=upstream,
            next_run_at=next_run_at,
            lease_owner=None,
            lease_until=None,
        )

    async def reschedule(
        self,
        job_id: str,
        owner: str,
        *,
        status: JobStatus,
        progress: float | None,
        next_run_at: float,
        reset_attempts: bool = True,
    ) -> bool:
        """After a poll: record what the provider said and when to look again. A healthy poll
        resets the attempt count, which counts only runs in a row that got nowhere."""
        values: dict[str, Any] = {
            "status": status.value,
            "next_run_at": next_run_at,
            "lease_owner": None,
            "lease_until": None,
        }
        if reset_attempts:
            values["attempts"] = 0
        if progress is not None:
            values["progress"] = max(0.0, min(100.0, progress))
        return await self._cas(job_id, owner, **values)

    async def discard(self, job_id: str, owner: str) -> None:
        """Remove a job whose creation failed as a whole (no provider took it)."""
        async with self._session.begin() as s:
            await s.execute(delete(JobRow).where(JobRow.id == job_id, JobRow.lease_owner == owner))

    async def expired_with_assets(self, limit: int = 100) -> list[JobRecord]:
        """Completed jobs past `expires_at` whose files are still stored."""
        async with self._session() as s:
            rows = await s.scalars(
                select(JobRow)
                .where(JobRow.expires_at < time.time(), JobRow.assets.is_not(None))
                .order_by(JobRow.expires_at)
                .limit(limit)
            )
            return [JobRecord.from_row(r) for r in rows]

    async def forget_assets(self, job_id: str) -> None:
        async with self._session.begin() as s:
            await s.execute(
                update(JobRow).where(JobRow.id == job_id).values(assets=None, updated_at=time.time())
            )

    async def release(self, job_id: str, owner: str) -> bool:
        """Hand the job back at once (graceful shutdown), so another worker need not wait."""
        return await self._cas(job_id, owner, lease_owner=None, lease_until=None)
