"""Requests per minute per API key, counted in the database so that every instance counts the same
requests: at most `limit` in any 60 seconds (a sliding window of hits, not fixed minutes)."""

from __future__ import annotations

import time

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from .models import RateLimitHitRow

WINDOW_SECONDS = 60.0
HITS = RateLimitHitRow.__table__


class RateLimitStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._postgres = engine.dialect.name == "postgresql"

    async def take(self, key_id: str, limit: int) -> float | None:
        """Count one request for the key; None if it is within the limit, else how many seconds
        until the oldest request in the window leaves it (nothing is counted then)."""
        now = time.time()
        async with self._engine.begin() as conn:
            if self._postgres:
                # A hit is not worth waiting for the disk: after a crash, losing the last few
                # milliseconds of hits only lets those requests count again. One key's requests
                # are counted one at a time.
                await conn.execute(text("SET LOCAL synchronous_commit = off"))
                await conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": "rl:" + key_id})
            count, oldest = (
                await conn.execute(
                    select(func.count(), func.min(HITS.c.at)).where(
                        HITS.c.key_id == key_id, HITS.c.at > now - WINDOW_SECONDS
                    )
                )
            ).one()
            if count >= limit:
                return max(0.001, oldest + WINDOW_SECONDS - now)
            await conn.execute(insert(HITS).values(key_id=key_id, at=now))
        return None

    async def sweep(self) -> int:
        """Forget hits that left every window."""
        async with self._engine.begin() as conn:
            result = await conn.execute(delete(HITS).where(HITS.c.at <= time.time() - WINDOW_SECONDS))
            return result.rowcount or 0
