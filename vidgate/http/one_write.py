"""A response in one write, and the responses of one turn of the loop sent together.

uvicorn's httptools protocol writes the status line and headers when the app starts its response,
and the body in a second write. On a socket without Nagle's delay (uvloop sets TCP_NODELAY) that
is two system calls and two segments per response, and the client often wakes for each: a lookup
cost wrk ~15% more CPU (`bench/history/2026-11-30-one-write.md`), and a client that reads once
may see only the head (aiohttp coalesces its own for that reason, aio-libs/aiohttp#10991).

Lookups that wait together come back together (one statement, `store/point_reads.py`), and their
handlers answer in one turn of the loop. Sent as each is made, every answer woke its client
(a proxy, or wrk here) again: the wake-up is paid by the sender, on a virtual machine dearly, and
the client read one answer at a time. So while other requests are in flight a response waits
for the end of the turn and leaves with the others made in it, back to back
(`bench/history/2026-11-30-turn-outbox.md`); the only request in flight has nobody to wait for
and leaves at once. A head whose body comes later (a stream, or none for HEAD) waits no longer
than the turn, a large body never waits, and bytes always leave in the order they were written.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Collection, Iterable
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

HOLD_AT_MOST = 64 * 1024
"""Bytes a connection holds back for the end of the turn; more leaves at once (a download)."""


def _is_head(data: bytes) -> bool:
    return data.startswith(b"HTTP/1.1 ") and data.endswith(b"\r\n\r\n")


class Outbox:
    """The connections of one loop holding bytes until the end of the current turn."""

    __slots__ = ("_holding", "_loop")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._holding: list[HeldWrites] = []

    def hold(self, connection: HeldWrites) -> None:
        self._holding.append(connection)
        if len(self._holding) == 1:
            self._loop.call_soon(self.send_all)

    def send_all(self) -> None:
        holding, self._holding = self._holding, []
        for connection in holding:
            connection.flush()


_OUTBOXES: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Outbox] = weakref.WeakKeyDictionary()


def outbox_of(loop: asyncio.AbstractEventLoop) -> Outbox:
    found = _OUTBOXES.get(loop)
    if found is None:
        found = _OUTBOXES[loop] = Outbox(loop)
    return found


class HeldWrites:
    """The transport as uvicorn's protocol sees it: writes and closes pass through here, the rest
    goes straight to the real one. `in_flight` is the server's set of running requests."""

    __slots__ = ("_held", "_in_flight", "_outbox", "_transport")

    def __init__(self, transport: asyncio.Transport, outbox: Outbox, in_flight: Collection[Any]) -> None:
        self._transport = transport
        self._outbox = outbox
        self._in_flight = in_flight
        self._held = b""

    def write(self, data: bytes) -> None:
        held = self._held + data if self._held else data
        if not self._held and _is_head(data):
            self._hold(held)  # its body follows in this turn, if it has one
        elif len(self._in_flight) > 1 and len(held) <= HOLD_AT_MOST:
            self._hold(held)  # other answers may be made in this turn: leave with them
        else:
            self._held = b""
            self._transport.write(held)

    def _hold(self, data: bytes) -> None:
        if not self._held:
            self._outbox.hold(self)
        self._held = data

    def writelines(self, chunks: Iterable[bytes]) -> None:
        self.write(b"".join(chunks))

    def flush(self) -> None:
        held, self._held = self._held, b""
        if held and not self._transport.is_closing():
            self._transport.write(held)

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class OneWriteHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, writing through HeldWrites."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        held = HeldWrites(transport, outbox_of(self.loop), self.tasks)
        super().connection_made(held)  # type: ignore[arg-type]
