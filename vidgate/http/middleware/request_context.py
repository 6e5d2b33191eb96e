"""Every request gets an id (`X-Request-ID`, accepted or made, echoed) bound to every log line it
causes, the gateway's services in its scope, security headers, one access log line and metrics."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from typing import Any

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ...telemetry.metrics import Metrics

log = structlog.get_logger("vidgate.access")

SECURITY_HEADERS = [(b"x-content-type-options", b"nosniff")]
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class RequestContext:
    def __init__(
        self,
        app: ASGIApp,
        *,
        gateway: Callable[[], Any],
        route_of: Callable[[str], str],
        metrics: Metrics,
        access_log: bool = True,
    ) -> None:
        self.app = app
        self.gateway = gateway
        self.route_of = route_of
        self.metrics = metrics
        self.access_log = access_log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        given = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"x-request-id"), "")
        request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        status = [500]
        facts: dict[str, Any] = {}  # filled further in (Connexion copies the scope, not this dict)
        scope["vidgate.request"] = facts
        scope["vidgate.gateway"] = self.gateway()
        extra = [*SECURITY_HEADERS, (b"x-request-id", request_id.encode())]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        structlog.contextvars.bind_contextvars(request_id=request_id)
        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            elapsed = time.perf_counter() - started
            route = self.route_of(scope["path"])
            self.metrics.requests.labels(scope["method"], route, str(status[0])).inc()
            self.metrics.latency.labels(scope["method"], route).observe(elapsed)
            if self.access_log:
                log.info(
                    "request",
                    method=scope["method"],
                    route=route,
                    status=status[0],
                    duration_ms=round(elapsed * 1000, 2),
                    key_id=facts.get("key_id"),
                )
            structlog.contextvars.unbind_contextvars("request_id")
