"""Removes what has expired: asset files past `expires_at`, idempotency records past their TTL,
rate-limit hits out of every window.

Runs in every instance; each step is idempotent, so several sweepers at once do no harm.
"""

from __future__ import annotations

import asyncio
import contextlib

import structlog

from ..assets import AssetStore
from ..store import IdempotencyStore, JobStore, RateLimitStore

log = structlog.get_logger("vidgate.sweeper")


class Sweeper:
    def __init__(
        self,
        store: JobStore,
        assets: AssetStore,
        idempotency: IdempotencyStore,
        rate_limits: RateLimitStore,
        interval: float,
    ) -> None:
        self.store, self.assets, self.idempotency, self.interval = store, assets, idempotency, interval
        self.rate_limits = rate_limits
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="vidgate-sweeper")

    async def stop(self) -> None:
        self._stop.set()
        if self._task:
            await self._task

    async def sweep_once(self) -> int:
        removed = 0
        for job in await self.store.expired_with_assets():
            await self.assets.delete(job.id)
            await self.store.forget_assets(job.id)
            removed += 1
        records = await self.idempotency.sweep()
        await self.rate_limits.sweep()
        if removed or records:
            log.info("swept", expired_jobs=removed, idempotency_records=records)
        return removed

    async def _run(self) -> None:
        while not self._stop.is_set():
            try:
                await self.sweep_once()
            except Exception:
                log.exception("sweep_failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), self.interval)
