"""Requests per minute per key: a token bucket per key, in each instance's memory."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from ..domain import LimitExceeded


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    def __init__(self) -> None:
        self._buckets: dict[str, _Bucket] = {}

    def check(self, key_id: str, per_minute: int | None) -> None:
        """Take one request from the key's bucket, or refuse with 429 and when to come back."""
        if not per_minute:
            return
        now = time.monotonic()
        rate = per_minute / 60.0
        bucket = self._buckets.get(key_id)
        if bucket is None:
            bucket = self._buckets[key_id] = _Bucket(float(per_minute), now)
        bucket.tokens = min(float(per_minute), bucket.tokens + (now - bucket.updated) * rate)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return
        wait = math.ceil((1.0 - bucket.tokens) / rate)
        raise LimitExceeded(
            f"this API key may make {per_minute} requests per minute; retry in {wait} s",
            code="rate_limited",
            retry_after=wait,
            error_type="policy_rate_limit",
        )
