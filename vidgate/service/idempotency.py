"""Safe retries: the same Idempotency-Key with the same request gives the same job."""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeVar

from ..domain import Conflict, RequestMismatch
from ..store import Claim, IdempotencyStore


class Owned(Protocol):
    """What a key stands for: a job, or a character."""

    @property
    def id(self) -> str: ...

    @property
    def tenant(self) -> str: ...


T = TypeVar("T", bound=Owned)

WAIT_FOR_FIRST_SECONDS = 10.0


async def run_idempotent(
    records: IdempotencyStore,
    load: Callable[[str], Awaitable[T | None]],
    tenant: str,
    key: str | None,
    request: dict[str, Any],
    make: Callable[[], Awaitable[T]],
) -> T:
    """Same key, same request: the same job (or character, found with `load`). Same key, other
    request: a mismatch. The first request still being served: wait for it a little, then a
    conflict to retry."""
    if key is None:
        return await make()
    fingerprint = hashlib.sha256(
        json.dumps(request, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()
    deadline = time.monotonic() + WAIT_FOR_FIRST_SECONDS
    while True:
        state = await records.reserve(tenant, key, fingerprint)
        if state.claim == Claim.NEW:
            break
        if state.claim == Claim.MISMATCH:
            raise RequestMismatch(
                f"Idempotency-Key {key!r} was already used with a different request in the last "
                f"{records.ttl // 3600} h; send a new key for a new request",
                code="idempotency_key_reused",
            )
        if state.claim == Claim.DONE and state.job_id:
            job = await load(state.job_id)
            if job is None or job.tenant != tenant:
                raise RequestMismatch(
                    f"the job made with Idempotency-Key {key!r} has been deleted; send a new key",
                    code="idempotency_key_reused",
                )
            return job
        if time.monotonic() > deadline:
            raise Conflict(
                f"a request with Idempotency-Key {key!r} is still being served; retry shortly",
                code="idempotency_key_in_use",
                retry_after=1,
            )
        await asyncio.sleep(0.05)
    try:
        job = await make()
    except BaseException:
        await records.release(tenant, key)
        raise
    await records.finish(tenant, key, job.id)
    return job
