"""The outermost ASGI layer: body-size limit and response headers, before Connexion sees anything."""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import VidgateError
from .metrics import Metrics

log = structlog.get_logger("vidgate.access")

SECURITY_HEADERS = [(b"x-content-type-options", b"nosniff")]
CSP = (
    b"default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; "
    b"connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


async def send_error(send: Send, error: VidgateError, extra: list[tuple[bytes, bytes]]) -> None:
    body = json.dumps(error.body()).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += [(k.lower().encode(), v.encode()) for k, v in error.headers.items()]
    await send({"type": "http.response.start", "status": error.status, "headers": headers + extra})
    await send({"type": "http.response.body", "body": body})


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: disconnect messages

    return replay


def too_large(limit: int) -> VidgateError:
    return VidgateError(
        413,
        "payload_too_large",
        f"the request body is larger than this gateway accepts ({limit} bytes, "
        "VIDGATE_MAX_BODY_BYTES); send a smaller body, e.g. pass input_reference as a URL",
    )


_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class Guard:
    """Refuses oversized bodies with 413 (by Content-Length, or by counting a chunked body),
    puts the app's services in the scope, gives every request an id (`X-Request-ID`, accepted or
    made, echoed), adds security headers, and records the access log line and metrics."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body: int,
        services: Callable[[], Any],
        route_of: Callable[[str], str],
        metrics: Metrics,
        access_log: bool = True,
        max_header_bytes: int = 32 * 1024,
        body_timeout: float = 30.0,
        static: tuple[str, ASGIApp] | None = None,
        max_in_flight: int = 64,
    ) -> None:
        # Requests served at once; the rest wait their turn (FIFO) before any work is done. With
        # hundreds of connections all runnable, every event-loop turn would run hundreds of request
        # steps, and the worker, on the same loop, would fall behind its poll interval.
        self.slots = asyncio.Semaphore(max_in_flight)
        self.static = static
        self.max_header_bytes = max_header_bytes
        self.body_timeout = body_timeout
        self.app = app
        self.max_body = max_body
        self.services = services
        self.route_of = route_of
        self.metrics = metrics
        self.access_log = access_log

    async def _serve_static(
        self, scope: Scope, receive: Receive, send: Send, extra: list[tuple[bytes, bytes]], status: list[int]
    ) -> None:
        """The studio: static files, under a policy that allows nothing but this origin."""
        prefix, files = self.static  # type: ignore[misc]
        if scope["path"] == prefix:
            status[0] = 308
            await send(
                {
                    "type": "http.response.start",
                    "status": 308,
                    "headers": [(b"location", f"{prefix}/".encode()), *extra],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return

        async def with_policy(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                message["headers"] = [*message.get("headers", []), *extra, (b"content-security-policy", CSP)]
            await send(message)

        child = {
            **scope,
            "root_path": scope.get("root_path", "") + prefix,
            "path": scope["path"][len(prefix) :],
        }
        await files(child, receive, with_policy)

    def _timed(self, receive: Receive) -> Receive:
        """A client that stops sending its body mid-way is cut off, not waited for forever."""

        async def timed() -> Message:
            try:
                return await asyncio.wait_for(receive(), self.body_timeout)
            except TimeoutError:
                raise VidgateError(
                    408,
                    "request_timeout",
                    f"the request body did not arrive within {self.body_timeout:g} s; send it without pauses",
                ) from None

        return timed

    def _limited(self, receive: Receive) -> Receive:
        """A client that sends more than its Content-Length said still stops at the limit."""
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise too_large(self.max_body)  # rendered by the app's error handler
            return message

        return limited

    async def _read_chunked(self, receive: Receive) -> bytes | None:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

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
        structlog.contextvars.bind_contextvars(request_id=request_id)
        try:
            async with self.slots:
                await self._serve(scope, receive, send, request_id, status)
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

    async def _serve(
        self, scope: Scope, receive: Receive, send: Send, request_id: str, status: list[int]
    ) -> None:
        extra = [*SECURITY_HEADERS, (b"x-request-id", request_id.encode())]

        async def send_error_with_id(error: VidgateError) -> None:
            status[0] = error.status
            await send_error(send, error, extra)

        scope["vidgate.services"] = self.services()
        if self.static is not None and scope["path"].startswith(self.static[0]):
            await self._serve_static(scope, receive, send, extra, status)
            return
        header_bytes = sum(len(k) + len(v) for k, v in scope["headers"])
        if header_bytes > self.max_header_bytes:
            await send_error_with_id(
                VidgateError(
                    431,
                    "headers_too_large",
                    f"the request headers are {header_bytes} bytes; this gateway takes at most "
                    f"{self.max_header_bytes}",
                )
            )
            return
        receive = self._timed(receive)
        headers = dict(scope["headers"])
        if b"content-length" in headers:
            try:
                declared = int(headers[b"content-length"])
            except ValueError:
                declared = -1
            if declared > self.max_body:
                await send_error_with_id(too_large(self.max_body))
                return
            receive = self._limited(receive)
        elif b"transfer-encoding" in headers:
            # Connexion takes a body without Content-Length for no body at all: read the chunks
            # here (within the limit) and hand them on with a Content-Length.
            body = await self._read_chunked(receive)
            if body is None:
                await send_error_with_id(too_large(self.max_body))
                return
            scope["headers"] = [(k, v) for k, v in scope["headers"] if k != b"transfer-encoding"]
            scope["headers"].append((b"content-length", str(len(body)).encode()))
            receive = _replay(body, receive)
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                status[0] = message["status"]
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except VidgateError as error:  # raised outside the app's own error handling
            if not started:
                await send_error_with_id(error)
