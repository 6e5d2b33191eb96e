"""Limits on what a client sends, before Connexion reads any of it: header size (431), body size by
Content-Length or by counting a chunked body (413), and a body that stops arriving (408)."""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ...domain import GatewayError
from ..errors import HttpRefusal
from .responses import send_error


def too_large(limit: int) -> HttpRefusal:
    return HttpRefusal(
        413,
        "payload_too_large",
        f"the request body is larger than this gateway accepts ({limit} bytes, "
        "VIDGATE_MAX_BODY_BYTES); send a smaller body, e.g. pass input_reference as a URL",
    )


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: disconnect messages

    return replay


class BodyLimits:
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body: int,
        max_header_bytes: int = 32 * 1024,
        body_timeout: float = 30.0,
    ) -> None:
        self.app = app
        self.max_body = max_body
        self.max_header_bytes = max_header_bytes
        self.body_timeout = body_timeout

    def _timed(self, receive: Receive) -> Receive:
        """A client that stops sending its body mid-way is cut off, not waited for forever."""

        async def timed() -> Message:
            try:
                return await asyncio.wait_for(receive(), self.body_timeout)
            except TimeoutError:
                raise HttpRefusal(
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
        header_bytes = sum(len(k) + len(v) for k, v in scope["headers"])
        if header_bytes > self.max_header_bytes:
            await send_error(
                send,
                HttpRefusal(
                    431,
                    "headers_too_large",
                    f"the request headers are {header_bytes} bytes; this gateway takes at most "
                    f"{self.max_header_bytes}",
                ),
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
                await send_error(send, too_large(self.max_body))
                return
            receive = self._limited(receive)
        elif b"transfer-encoding" in headers:
            # Connexion takes a body without Content-Length for no body at all: read the chunks
            # here (within the limit) and hand them on with a Content-Length.
            body = await self._read_chunked(receive)
            if body is None:
                await send_error(send, too_large(self.max_body))
                return
            scope["headers"] = [(k, v) for k, v in scope["headers"] if k != b"transfer-encoding"]
            scope["headers"].append((b"content-length", str(len(body)).encode()))
            receive = _replay(body, receive)
        started = False

        async def watching(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watching)
        except GatewayError as error:  # raised outside the app's own error handling
            if not started:
                await send_error(send, error)
