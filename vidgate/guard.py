"""The outermost ASGI layer: body-size limit and response headers, before Connexion sees anything."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import VidgateError

SECURITY_HEADERS = [(b"x-content-type-options", b"nosniff")]


async def send_error(send: Send, error: VidgateError) -> None:
    body = json.dumps(error.body()).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += [(k.lower().encode(), v.encode()) for k, v in error.headers.items()]
    await send(
        {
            "type": "http.response.start",
            "status": error.status,
            "headers": headers + SECURITY_HEADERS,
        }
    )
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


class Guard:
    """Refuses oversized bodies with 413 (by Content-Length, or by counting a chunked body),
    puts the app's services in the scope, and adds security headers to every response."""

    def __init__(self, app: ASGIApp, *, max_body: int, services: Callable[[], Any]) -> None:
        self.app = app
        self.max_body = max_body
        self.services = services

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
        scope["vidgate.services"] = self.services()
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

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except VidgateError as error:  # raised outside the app's own error handling
            if not started:
                await send_error(send, error)
