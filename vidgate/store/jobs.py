"""JobStore: the jobs table behind a narrow async interface; the same code serves SQLite and
PostgreSQL. The claims and state transitions live in job_transitions."""

from __future__ import annotations

import functools
import time
from typing import Any

from sqlalchemy import Row, Select, bindparam, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from ..domain import ACTIVE, JobRecord, ListPage
from . import active_slots, spend
from .direct_writes import DirectWrites, Statement
from .job_transitions import JobTransitions, reservations_of
from .models import JobRow, record_from_row
from .outbox import WebhookOutbox
from .point_reads import PointReads
from .side_pool import SidePool

JOBS = JobRow.__table__
# Built once: the hottest reads (retrieve, download) skip statement construction.
_BY_ID = select(JOBS).where(JOBS.c.id == bindparam("id"))
_BY_KEY = _BY_ID.where(JOBS.c.tenant == bindparam("tenant"), JOBS.c.provider == bindparam("provider"))
_INSERT = insert(JOBS)  # built once: the values come as parameters, so its compiled form is cached


@functools.cache
def _direct_insert(columns: tuple[str, ...], dialect: Any) -> Statement:
    return Statement(_INSERT, dialect, keys=columns)


class JobStore(JobTransitions):
    """Reads, inserts and deletes of jobs; every write after the insert is a transition."""

    def __init__(
        self,
        engine: AsyncEngine,
        outbox: WebhookOutbox | None = None,
        *,
        point_reads: bool = True,
        direct_writes: bool = True,
    ) -> None:
        """point_reads: a job's lookup by key beside the engine (see point_reads); direct_writes:
        a create's writes and the transitions beside it (see direct_writes)."""
        self._engine = engine
        self._session = async_sessionmaker(engine, expire_on_commit=False)
        self._outbox = outbox or WebhookOutbox(engine)
        pool = self._side_pool = SidePool.for_engine(engine) if point_reads or direct_writes else None
        self._point_reads = PointReads.for_engine(engine, JOBS, _BY_KEY, pool) if point_reads else None
        self._direct = DirectWrites.for_engine(engine, pool) if direct_writes else None

    async def close(self) -> None:
        if self._point_reads is not None:
            await self._point_reads.close()
        if self._side_pool is not None:
            await self._side_pool.close()
        await self._engine.dispose()

    async def _read(self, query: Select[Any], params: dict[str, Any] | None = None) -> list[Row[Any]]:
        """Rows of a read-only Core query (no ORM objects: a retrieve is one of these)."""
        async with self._engine.connect() as conn:
            return list((await conn.execute(query, params)).all())

    async def ping(self) -> None:
        async with self._engine.connect() as conn:
            await conn.execute(select(1))

    async def insert(
        self,
        job: JobRecord,
        *,
        lease_owner: str | None = None,
        lease_seconds: float = 0,
        tenant_limit: int = active_slots.UNLIMITED,
        key_limit: int | None = None,
    ) -> None:
        """Insert; a job being submitted upstream is inserted leased by its submitter. In the same
        transaction it takes an active-job slot of its tenant and of its key (SlotRefused past
        `tenant_limit` / `key_limit`) and reserves its estimated cost against its budgets
        (ReservationRefused); refused, no job is made."""
        now = time.time()
        row = {
            "id": job.id,
            "tenant": job.tenant,
            "provider": job.provider,
            "model": job.model,
            "status": job.status.value,
            "progress": job.progress,
            "prompt": job.prompt,
            "seconds": job.seconds,
            "size": job.size,
            "params": job.params,
            "remixed_from": job.remixed_from,
            "created_at": job.created_at,
            "updated_at": now,
            "attempts": 0,
            "submit_state": job.submit_state.value,
            "key_id": job.key_id,
            "lease_owner": lease_owner,
            "lease_until": (now + lease_seconds) if lease_owner else None,
            "reserved_usd": job.reserved_usd,
            "reservations": list(job.reservations) or None,
            "trace_context": job.trace_context,
        }
        # Core, not the ORM's unit of work: a create's insert is on the hot path.
        if job.reservations and job.reserved_usd:
            async with self._session.begin() as s:
                await active_slots.take(s, job, tenant_limit=tenant_limit, key_limit=key_limit)
                await spend.reserve(s, reservations_of(job), job.reserved_usd)
                await s.execute(_INSERT, row)
        elif self._direct is not None:
            await self._insert_direct(self._direct, job, row, tenant_limit, key_limit)
        else:
            async with self._engine.begin() as conn:
                await active_slots.take(conn, job, tenant_limit=tenant_limit, key_limit=key_limit)
                await conn.execute(_INSERT, row)

    async def _insert_direct(
        self,
        direct: DirectWrites,
        job: JobRecord,
        row: dict[str, Any],
        tenant_limit: int,
        key_limit: int | None,
    ) -> None:
        takes = active_slots.direct_takes(direct.dialect, job, tenant_limit=tenant_limit, key_limit=key_limit)
        refused = await direct.run([*takes, (_direct_insert(tuple(row), direct.dialect), row)])
        if refused is not None:
            async with self._engine.connect() as conn:
                raise await active_slots.refusal(conn, takes[refused][1])

    async def get(self, tenant: str, job_id: str, provider: str) -> JobRecord | None:
        key = {"id": job_id, "tenant": tenant, "provider": provider}
        if self._point_reads is not None:
            row = await self._point_reads.fetch(key)
            return None if row is None else record_from_row(row)
        rows = await self._read(_BY_KEY, key)
        return record_from_row(rows[0]) if rows else None

    async def get_by_id(self, job_id: str) -> JobRecord | None:
        rows = await self._read(_BY_ID, {"id": job_id})
        return record_from_row(rows[0]) if rows else None

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
        items = [record_from_row(r) for r in rows[:limit]]
        return ListPage(items=items, has_more=len(rows) > limit)

    async def counts(self) -> list[tuple[str, str, int]]:
        """(provider, status, jobs) across all tenants, for the metrics gauges."""
        query = select(JobRow.provider, JobRow.status, func.count()).group_by(JobRow.provider, JobRow.status)
        return [(p, st, int(n)) for p, st, n in await self._read(query)]

    async def active_jobs(self, tenant: str, key_id: str | None = None) -> int:
        """Queued and in-progress jobs of the tenant (or of one of its keys), as their slots count."""
        async with self._engine.connect() as conn:
            if key_id is not None:
                return await active_slots.active(conn, "key", key_id)
            return await active_slots.active(conn, "tenant", tenant)

    async def delete(self, tenant: str, job_id: str, provider: str) -> JobRecord | None:
        async with self._session.begin() as s:
            row = await s.scalar(
                select(JobRow).where(
                    JobRow.id == job_id, JobRow.tenant == tenant, JobRow.provider == provider
                )
            )
            if row is None:
                return None
            record = record_from_row(row)
            # The status the DELETE removed, not the one read above: a worker may have ended the job
            # in between, giving back what it held in its own transaction.
            deleted = await s.execute(delete(JobRow).where(JobRow.id == job_id).returning(JobRow.status))
            if deleted.scalar_one_or_none() in ACTIVE:  # deleted before it finished: what it held goes back
                await active_slots.give_back(s, record)
                await spend.settle(s, reservations_of(record), record.reserved_usd or 0, 0)
            return record

    async def expired_with_assets(self, limit: int = 100) -> list[JobRecord]:
        """Completed jobs past `expires_at` whose files are still stored."""
        async with self._session() as s:
            rows = await s.scalars(
                select(JobRow)
                .where(JobRow.expires_at < time.time(), JobRow.assets.is_not(None))
                .order_by(JobRow.expires_at)
                .limit(limit)
            )
            return [record_from_row(r) for r in rows]

    async def forget_assets(self, job_id: str) -> None:
        async with self._session.begin() as s:
            await s.execute(
                update(JobRow).where(JobRow.id == job_id).values(assets=None, updated_at=time.time())
            )
