"""The server span of each request (installed only when tracing is on): its parent is the caller's
W3C `traceparent`, if any, so the gateway's spans join the caller's trace; the request's log lines
carry its trace id. Its name is the method and the spec's path template (bounded cardinality)."""

from __future__ import annotations

from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ...telemetry import tracing

_PROPAGATED = (b"traceparent", b"tracestate")


class Tracing:
    def __init__(self, app: ASGIApp, *, route_of: Callable[[str], str]) -> None:
        self.app = app
        self.route_of = route_of

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"] if k in _PROPAGATED}
        method, route = scope["method"], self.route_of(scope["path"])
        attributes = {
            "http.request.method": method,
            "http.route": route,
            "url.path": scope["path"],
            "url.scheme": scope.get("scheme", "http"),
        }
        with tracing.span(
            f"{method} {route}", parent=incoming, kind=tracing.SpanKind.SERVER, attributes=attributes
        ) as span:

            async def send_status(message: Message) -> None:
                if message["type"] == "http.response.start":
                    span.set_attribute("http.response.status_code", message["status"])
                    if message["status"] >= 500:
                        tracing.mark_error(span, f"HTTP {message['status']}")
                await send(message)

            await self.app(scope, receive, send_status)
