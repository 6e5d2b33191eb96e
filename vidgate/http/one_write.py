"""A response's head and body in one write.

uvicorn's httptools protocol writes the status line and headers when the app starts its response,
and the body in a second write. On a socket without Nagle's delay (uvloop sets TCP_NODELAY) that
is two system calls and two segments per response, and the client often wakes for each: a lookup
cost wrk ~15% more CPU (`bench/history/2026-11-30-one-write.md`), and a client that reads once
may see only the head (aiohttp coalesces its own for that reason, aio-libs/aiohttp#10991).

So the transport uvicorn writes to holds a head until the next write (the body, which Starlette
sends in the same turn of the loop), until it closes, or until the end of the current turn at the
latest: a response whose body comes later (a stream, or none for HEAD) is never held back longer,
and bytes always leave in the order they were written.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


def _is_head(data: bytes) -> bool:
    return data.startswith(b"HTTP/1.1 ") and data.endswith(b"\r\n\r\n")


class HeldHead:
    """The transport as uvicorn's protocol sees it: writes and closes pass through here, the rest
    goes straight to the real one."""

    __slots__ = ("_head", "_loop", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._head: bytes | None = None

    def write(self, data: bytes) -> None:
        head, self._head = self._head, None
        if head is not None:
            self._transport.write(head + data)
        elif _is_head(data):
            self._head = data
            self._loop.call_soon(self.flush)
        else:
            self._transport.write(data)

    def writelines(self, chunks: Iterable[bytes]) -> None:
        self.write(b"".join(chunks))

    def flush(self) -> None:
        head, self._head = self._head, None
        if head is not None and not self._transport.is_closing():
            self._transport.write(head)

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class OneWriteHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, writing through HeldHead."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(HeldHead(transport, self.loop))  # type: ignore[arg-type]
