"""Requests per minute per API key, shared by every instance (counted in the database)."""

from __future__ import annotations

import math

from ..domain import LimitExceeded
from ..store import RateLimitStore


class RateLimiter:
    def __init__(self, store: RateLimitStore) -> None:
        self.store = store

    async def check(self, key_id: str | None, per_minute: int | None) -> None:
        """Count one request of the key, or refuse with 429 and when to come back."""
        if not per_minute or not key_id:
            return
        wait = await self.store.take(key_id, per_minute)
        if wait is None:
            return
        retry = math.ceil(wait)
        raise LimitExceeded(
            f"this API key may make {per_minute} requests per minute; retry in {retry} s",
            code="rate_limited",
            retry_after=retry,
            error_type="policy_rate_limit",
        )
