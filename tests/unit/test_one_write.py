"""A response leaves in one write (http/one_write.py): uvicorn's real httptools protocol, driven on a
real event loop, writing to a transport that records each write."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from vidgate.cli.server import uvicorn_config
from vidgate.http.one_write import HOLD_AT_MOST, OneWriteHttpToolsProtocol

GET = b"GET /v1/videos/video_1 HTTP/1.1\r\nHost: x\r\n\r\n"


class Recorded(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: Any) -> None:
        assert not self.closed, "written after close"
        self.writes.append(bytes(data))

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"sockname": ("127.0.0.1", 8000), "peername": ("127.0.0.1", 50000)}.get(name, default)

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


def json_app(body: bytes = b'{"id":"video_1"}', *, status: int = 200) -> Any:
    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})

    return app


async def stream_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"video/mp4")]})
    await send({"type": "http.response.body", "body": b"first", "more_body": True})
    await asyncio.sleep(0.01)  # the next chunk comes turns later, as a file read's would
    await send({"type": "http.response.body", "body": b"second"})


def served(
    app: Any, request: bytes, protocol: type[HttpToolsProtocol] = OneWriteHttpToolsProtocol
) -> Recorded:
    async def main() -> Recorded:
        config = uvicorn_config(app)
        config.http = protocol
        config.load()
        proto = protocol(config=config, server_state=ServerState(), app_state={})
        transport = Recorded()
        proto.connection_made(transport)
        proto.data_received(request)
        for _ in range(50):
            await asyncio.sleep(0.005)
        return transport  # the connection still open: what left did so by itself

    return asyncio.run(main())


def answering_app(events: list[str], size: int = 0) -> Any:
    """Answers with its path as the body (padded to `size`), and notes when its last send returned."""

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        body = scope["path"].encode().ljust(size, b".")
        headers = [(b"content-length", b"%d" % len(body))]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})
        events.append(f"answered {scope['path']}")

    return app


def served_together(app: Any, paths: list[str], events: list[str]) -> None:
    """Requests on connections of their own, read in the same turn of one loop, as one process's
    server reads what its clients sent meanwhile."""

    class Noted(Recorded):
        def write(self, data: Any) -> None:
            super().write(data)
            events.append("sent " + bytes(data).split(b"\r\n\r\n", 1)[1][:2].decode())

    async def main() -> None:
        config = uvicorn_config(app)
        config.load()
        state = ServerState()
        connections = []
        for _ in paths:
            proto = OneWriteHttpToolsProtocol(config=config, server_state=state, app_state={})
            proto.connection_made(Noted())
            connections.append(proto)
        for proto, path in zip(connections, paths, strict=True):
            proto.data_received(GET.replace(b"/v1/videos/video_1", path.encode()))
        for _ in range(20):
            await asyncio.sleep(0.005)

    asyncio.run(main())


def test_answers_made_in_one_turn_leave_together_at_its_end() -> None:
    """While other requests are in flight an answer waits for the end of the turn, so the answers
    of one turn leave back to back and their client wakes once for them (one_write.py)."""
    events: list[str] = []
    served_together(answering_app(events), ["/a", "/b", "/c"], events)
    answered, sent = ["answered /a", "answered /b", "answered /c"], ["sent /a", "sent /b", "sent /c"]
    assert events == answered + sent, events


def test_the_only_request_in_flight_is_answered_at_once() -> None:
    events: list[str] = []
    served_together(answering_app(events), ["/a"], events)
    assert events == ["sent /a", "answered /a"], events


def test_a_large_answer_does_not_wait_for_the_turn_to_end() -> None:
    events: list[str] = []
    served_together(answering_app(events, size=HOLD_AT_MOST + 1), ["/a", "/b"], events)
    assert events == ["sent /a", "answered /a", "sent /b", "answered /b"], events


def test_the_served_protocol_is_the_one_write_one() -> None:
    assert uvicorn_config(json_app()).http is OneWriteHttpToolsProtocol


def test_a_json_response_is_one_write_head_and_body() -> None:
    writes = served(json_app(), GET).writes
    assert len(writes) == 1, writes
    assert writes[0].startswith(b"HTTP/1.1 200 OK\r\n")
    assert writes[0].endswith(b'\r\n\r\n{"id":"video_1"}')


def test_uvicorns_own_protocol_writes_twice() -> None:
    """What the one above guards against: if this fails, uvicorn writes once by itself and
    one_write.py can go."""
    writes = served(json_app(), GET, HttpToolsProtocol).writes
    assert len(writes) == 2 and writes[1] == b'{"id":"video_1"}', writes


@pytest.mark.parametrize(
    ("app", "request_line"),
    [(json_app(), b"HEAD /v1/videos/video_1 HTTP/1.1"), (json_app(b"", status=204), b"DELETE /x HTTP/1.1")],
    ids=["head", "no-content"],
)
def test_a_head_without_a_body_still_leaves(app: Any, request_line: bytes) -> None:
    writes = served(app, request_line + b"\r\nHost: x\r\n\r\n").writes
    assert len(writes) == 1 and writes[0].startswith(b"HTTP/1.1 2") and writes[0].endswith(b"\r\n\r\n"), (
        writes
    )


def test_a_head_without_a_body_leaves_before_the_connection_closes() -> None:
    transport = served(
        json_app(), b"HEAD /v1/videos/video_1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    assert transport.closed and len(transport.writes) == 1, transport.writes


def test_a_stream_sends_its_head_with_the_first_chunk_and_the_rest_in_order() -> None:
    writes = served(stream_app, GET).writes
    assert len(writes) == 2, writes
    assert writes[0].startswith(b"HTTP/1.1 200 OK\r\n") and writes[0].endswith(b"\r\n\r\n5\r\nfirst\r\n")
    assert writes[1] == b"6\r\nsecond\r\n0\r\n\r\n"


def test_pipelined_requests_get_their_responses_in_order_and_close_flushes() -> None:
    closing = GET.replace(b"Host: x\r\n", b"Host: x\r\nConnection: close\r\n")
    transport = served(json_app(), GET + closing)
    body = b"".join(transport.writes)
    assert body.count(b"HTTP/1.1 200 OK") == 2 and body.endswith(b'{"id":"video_1"}')
    assert len(transport.writes) == 2 and transport.closed
