"""The worker's side of the job store: claims under a lease, and every state change as one
conditional UPDATE (compare-and-set on the lease holder), so two workers can never both win and a
deleted or taken-over job is never written back."""

from __future__ import annotations

import functools
import time
from typing import Any

from sqlalchemy import Update, bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from ..domain import ACTIVE, JobRecord, JobStatus, Reservation
from . import active_slots, spend
from .direct_writes import DirectWrites, Statement
from .models import ACTIVE_SQL, JobRow, record_from_row
from .outbox import WebhookOutbox
from .usage import usage_row

JOBS = JobRow.__table__


@functools.cache
def _cas_statement(columns: frozenset[str]) -> Update:
    """The compare-and-set UPDATE of these columns, built once (a statement built per call paid
    SQLAlchemy's cache-key generation every time)."""
    return (
        update(JOBS)
        .where(
            JOBS.c.id == bindparam("cas_id"),
            JOBS.c.lease_owner == bindparam("cas_owner"),
            # one bound value each, not an expanding list: compiled once, SQL and all (direct_writes)
            JOBS.c.status.in_([bindparam(f"active_{status}", status) for status in ACTIVE]),
        )
        .values({name: bindparam(name, type_=JOBS.c[name].type) for name in sorted(columns)})
    )


@functools.cache
def _direct_cas_statement(columns: frozenset[str], dialect: Any) -> Statement:
    return Statement(_cas_statement(columns), dialect)


def reservations_of(job: JobRecord) -> list[Reservation]:
    return [Reservation.from_dict(r) for r in job.reservations]


class JobTransitions:
    _engine: AsyncEngine
    _session: async_sessionmaker[AsyncSession]
    _outbox: WebhookOutbox
    _direct: DirectWrites | None

    async def claim(
        self,
        owner: str,
        providers: list[str],
        lease_seconds: float,
        *,
        max_attempts: int,
    ) -> JobRecord | None:
        """Lease the oldest active job nobody holds (or whose holder's lease ran out); a job over
        its attempts is failed instead, with its event, like every other failure."""
        job, _ = await self.claim_next(owner, providers, lease_seconds, max_attempts=max_attempts)
        return job

    async def claim_next(
        self,
        owner: str,
        providers: list[str],
        lease_seconds: float,
        *,
        max_attempts: int,
        horizon: float = 0.0,
    ) -> tuple[JobRecord | None, float | None]:
        """claim(), and with no job due, when the first step that nobody holds comes due within
        `horizon` seconds (None: none does, or not known), so that a worker can wake for it on
        time rather than at its next claim poll."""
        now = time.time()
        free = (JobRow.lease_until.is_(None)) | (JobRow.lease_until < now)
        due = (JobRow.next_run_at.is_(None)) | (JobRow.next_run_at <= now)
        # New jobs (no next_run_at) first, then the longest overdue and the next to come due.
        # Two range scans of the index of active jobs (ACTIVE_SQL), so the cost follows the jobs
        # in flight that nobody holds, not the others, nor the finished ones kept.
        claimable = (ACTIVE_SQL, JobRow.provider.in_(providers), free)
        next_due = None
        async with self._session() as s:
            new = select(JobRow.id).where(*claimable, JobRow.next_run_at.is_(None))
            ids = list((await s.scalars(new.order_by(JobRow.id).limit(8))).all())
            if len(ids) < 8:
                # a range on the index (not "is not null"), which the planner always takes
                scheduled = select(JobRow.id, JobRow.next_run_at).where(
                    *claimable, JobRow.next_run_at <= now + horizon
                )
                rows = (
                    await s.execute(scheduled.order_by(JobRow.next_run_at, JobRow.id).limit(8 - len(ids)))
                ).all()
                ids += [job_id for job_id, at in rows if at <= now]
                next_due = next((at for _, at in rows if at > now), None)
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
                record = record_from_row(row)
            if record.attempts > max_attempts:
                await self.fail(
                    job_id,
                    owner,
                    "too_many_attempts",
                    f"gave up after {max_attempts} runs in a row ended without progress "
                    "(the gateway stopping mid-run, or the provider failing every poll)",
                )
                continue
            return record, None
        return None, next_due

    async def _cas(self, job_id: str, owner: str, **values: Any) -> bool:
        """Core, not an ORM-enabled UPDATE: the ORM's bulk-update machinery cost ~1 ms a call."""
        values["updated_at"] = time.time()
        columns = frozenset(values)
        params = {**values, "cas_id": job_id, "cas_owner": owner}
        if self._direct is not None:
            statement = _direct_cas_statement(columns, self._direct.dialect)
            return await self._direct.run([(statement, params)]) is None
        async with self._engine.begin() as conn:
            result = await conn.execute(_cas_statement(columns), params)
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

    async def extend_lease(self, job_id: str, owner: str, lease_seconds: float) -> bool:
        """Keep holding a job that takes longer than one lease (a long download); False: lost."""
        return await self._cas(job_id, owner, lease_until=time.time() + lease_seconds)

    async def complete(
        self,
        job: JobRecord,
        owner: str,
        assets: dict[str, Any],
        retention_seconds: int,
        cost_usd: float | None = None,
    ) -> bool:
        """Mark done, settle its budgets (what it held released, what it cost spent), book the
        seconds and dollars to the key and queue the webhook event, in one transaction."""
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
                    cost_usd=cost_usd,
                )
            )
            if result.rowcount != 1:
                return False
            settled = await self._record_outcome(s, job.id, cost_usd or 0)
            s.add(usage_row(settled or job, now, cost_usd))
            return True

    async def _record_outcome(self, s: AsyncSession, job_id: str, cost_usd: float) -> JobRecord | None:
        """In the outcome's transaction: the budgets settled (released, and the cost spent) and the
        job's webhook event, if its tenant has a webhook."""
        row = await s.get(JobRow, job_id)
        if row is None:
            return None
        record = record_from_row(row)
        await active_slots.give_back(s, record)
        if record.reservations:
            await spend.settle(s, reservations_of(record), record.reserved_usd or 0, cost_usd)
        self._outbox.add_outcome(s, record)
        return record

    async def fail(
        self,
        job_id: str,
        owner: str,
        code: str,
        message: str,
    ) -> bool:
        """Mark failed (and queue the webhook event) in one transaction."""
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
                    cost_usd=0.0,
                )
            )
            if result.rowcount != 1:
                return False
            await self._record_outcome(s, job_id, 0)  # a failed job costs nothing
            return True

    async def assign(self, job: JobRecord, owner: str, *, next_run_at: float | None = None) -> bool:
        """Record what the accepting provider took (after the upstream create, or a lookup that
        found it) and hand the job to the workers."""
        return await self._cas(
            job.id,
            owner,
            provider=job.provider,
            model=job.model,
            seconds=job.seconds,
            size=job.size,
            params=job.params,
            submit_state=job.submit_state.value,
            upstream_id=job.upstream_id,
            upstream=job.upstream,
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
        """Remove a job whose creation failed as a whole (no provider took it); what it held goes back."""
        async with self._session.begin() as s:
            row = await s.scalar(select(JobRow).where(JobRow.id == job_id, JobRow.lease_owner == owner))
            if row is None:
                return
            record = record_from_row(row)
            deleted = await s.execute(delete(JobRow).where(JobRow.id == job_id, JobRow.lease_owner == owner))
            if deleted.rowcount != 1:
                return
            if record.active:
                await active_slots.give_back(s, record)
            if record.reservations:
                await spend.settle(s, reservations_of(record), record.reserved_usd or 0, 0)

    async def release(self, job_id: str, owner: str) -> bool:
        """Hand the job back at once (graceful shutdown), so another worker need not wait."""
        return await self._cas(job_id, owner, lease_owner=None, lease_until=None)
