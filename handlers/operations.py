"""Operational endpoints: liveness, readiness, metrics."""

from __future__ import annotations

from starlette.responses import Response

from vidgate.domain import Unavailable
from vidgate.http.context import gateway


async def health_check() -> tuple[dict[str, str], int]:
    return {"status": "ok"}, 200


async def readiness_check() -> tuple[dict[str, str], int]:
    svc = gateway()
    try:
        await svc.store.ping()
    except Exception as exc:
        raise Unavailable(
            f"the database does not answer ({type(exc).__name__})", code="database_unavailable", retry_after=5
        ) from exc
    if not svc.jobs_alive:
        raise Unavailable("the job worker is not running", code="worker_stopped", retry_after=5)
    return {"status": "ready"}, 200


async def metrics_export() -> Response:
    svc = gateway()
    svc.metrics.jobs.clear()
    queued = 0
    for provider, status, count in await svc.store.counts():
        svc.metrics.jobs.labels(provider, status).set(count)
        queued += count if status == "queued" else 0
    svc.metrics.queue_depth.set(queued)
    return Response(svc.metrics.export(), media_type="text/plain; version=0.0.4; charset=utf-8")
