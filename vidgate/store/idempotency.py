"""Idempotency records: the first request with an Idempotency-Key reserves it; the others get its
job, or wait, or are told the key was used for another request."""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from .models import IdempotencyRow


class Claim(StrEnum):
    NEW = "new"  # this request owns the key: create, then record the job
    DONE = "done"  # the same request already made `job_id`
    IN_FLIGHT = "in_flight"  # the same request is being served right now
    MISMATCH = "mismatch"  # the key was used with a different request


@dataclass(frozen=True)
class IdempotencyState:
    claim: Claim
    job_id: str | None = None


class IdempotencyStore:
    def __init__(self, engine: AsyncEngine, ttl_seconds: int) -> None:
        self._session = async_sessionmaker(engine, expire_on_commit=False)
        self.ttl = ttl_seconds

    async def reserve(self, tenant: str, key: str, request_hash: str) -> IdempotencyState:
        now = time.time()
        async with self._session.begin() as s:  # an expired key is free again
            await s.execute(
                delete(IdempotencyRow).where(
                    IdempotencyRow.tenant == tenant,
                    IdempotencyRow.key == key,
                    IdempotencyRow.created_at < now - self.ttl,
                )
            )
        try:
            async with self._session.begin() as s:
                s.add(IdempotencyRow(tenant=tenant, key=key, request_hash=request_hash, created_at=now))
            return IdempotencyState(Claim.NEW)
        except IntegrityError:
            pass  # another request holds it: the unique key decides, on both backends
        return await self.state(tenant, key, request_hash)

    async def state(self, tenant: str, key: str, request_hash: str) -> IdempotencyState:
        async with self._session() as s:
            row = await s.get(IdempotencyRow, (tenant, key))
        if row is None:
            return IdempotencyState(Claim.IN_FLIGHT)  # released between our insert and this read: retry
        if row.request_hash != request_hash:
            return IdempotencyState(Claim.MISMATCH)
        return IdempotencyState(Claim.DONE, row.job_id) if row.job_id else IdempotencyState(Claim.IN_FLIGHT)

    async def finish(self, tenant: str, key: str, job_id: str) -> None:
        async with self._session.begin() as s:
            await s.execute(
                update(IdempotencyRow)
                .where(IdempotencyRow.tenant == tenant, IdempotencyRow.key == key)
                .values(job_id=job_id)
            )

    async def release(self, tenant: str, key: str) -> None:
        """The request failed before making a job: a retry with the key may try again."""
        async with self._session.begin() as s:
            await s.execute(
                delete(IdempotencyRow).where(
                    IdempotencyRow.tenant == tenant,
                    IdempotencyRow.key == key,
                    IdempotencyRow.job_id.is_(None),
                )
            )

    async def sweep(self) -> int:
        async with self._session.begin() as s:
            result = await s.execute(
                delete(IdempotencyRow).where(IdempotencyRow.created_at < time.time() - self.ttl)
            )
            return result.rowcount or 0


__all__ = ["Claim", "IdempotencyState", "IdempotencyStore"]
