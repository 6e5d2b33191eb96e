"""The aiohttp wire under httpx, against a real loopback socket server: what is sent arrives as
sent, answers parse as httpx's, and failures keep "never sent" apart from "sent, answer lost"."""

from __future__ import annotations

import gzip
import socket
import threading
from collections.abc import Callable, Iterator

import httpx
import pytest

from vidgate.config import ProviderSettings
from vidgate.upstream.aio_transport import AiohttpTransport
from vidgate.upstream.client import UpstreamClient
from vidgate.upstream.errors import UpstreamError

pytestmark = pytest.mark.anyio

Handler = Callable[[socket.socket, bytes], None]


def _read_request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        (
            int(line.split(b":")[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length")
        ),
        0,
    )
    while len(body) < length:
        body += conn.recv(65536)
    return head + b"\r\n\r\n" + body


@pytest.fixture
def server() -> Iterator[tuple[str, list[bytes], list[Handler]]]:
    """A socket server answering each connection's requests with the next handler."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    seen: list[bytes] = []
    handlers: list[Handler] = []

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                while handlers:
                    request = _read_request(conn)
                    if not request:
                        break
                    seen.append(request)
                    handlers.pop(0)(conn, request)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}", seen, handlers
    listener.close()


def answer(status: int, body: bytes, headers: dict[str, str] | None = None) -> Handler:
    def handle(conn: socket.socket, _request: bytes) -> None:
        lines = [f"HTTP/1.1 {status} X", f"Content-Length: {len(body)}"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)

    return handle


def hang_up(conn: socket.socket, _request: bytes) -> None:
    conn.shutdown(socket.SHUT_RDWR)  # read the request, answer nothing


def _client(url: str, **kw: object) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=url, transport=AiohttpTransport(max_connections=4), **kw)  # type: ignore[arg-type]


async def test_requests_arrive_as_sent_and_answers_parse(server) -> None:
    url, seen, handlers = server
    handlers += [
        answer(201, b'{"id": "v1"}', {"Content-Type": "application/json", "x-request-id": "r1"}),
        answer(200, gzip.compress(b"x" * 5000), {"Content-Encoding": "gzip"}),
        answer(302, b"", {"Location": "/elsewhere"}),
        answer(204, b""),
        answer(200, b""),
    ]
    async with _client(url, headers={"Authorization": "Bearer k"}) as client:
        created = await client.post("/v1/videos?x=1", files={"prompt": (None, "a boat")})
        assert created.status_code == 201 and created.json() == {"id": "v1"}
        assert created.headers["x-request-id"] == "r1"
        unzipped = await client.get("/big")
        assert unzipped.content == b"x" * 5000  # httpx decodes, as with its own transport
        moved = await client.get("/moved")
        assert moved.status_code == 302 and moved.headers["location"] == "/elsewhere"  # not followed
        await client.get("/model/luma.ray-v2%3A0/x%2Fy?arn=a%3Ab")  # signed (SigV4) as sent
        await client.post("/tasks/t1/cancel")  # no body: no content type (a signature may cover it)
    assert seen[3].startswith(b"GET /model/luma.ray-v2%3A0/x%2Fy?arn=a%3Ab HTTP/1.1")
    head, _, body = seen[0].partition(b"\r\n\r\n")
    assert head.startswith(b"POST /v1/videos?x=1 HTTP/1.1")
    lines = [line.lower() for line in head.split(b"\r\n")]
    assert b"authorization: bearer k" in lines
    assert sum(line.startswith(b"content-length:") for line in lines) == 1
    assert b'name="prompt"' in body and b"a boat" in body
    assert b"content-type:" not in seen[4].lower()


async def test_streamed_bodies_come_in_chunks(server) -> None:
    url, _, handlers = server
    handlers.append(answer(200, b"y" * 300_000))
    async with _client(url) as client, client.stream("GET", "/video") as response:
        chunks = [c async for c in response.aiter_bytes()]
    assert b"".join(chunks) == b"y" * 300_000 and len(chunks) > 1


async def test_nothing_listening_is_never_sent() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: connection refused
    async with _client(f"http://127.0.0.1:{port}") as client:
        with pytest.raises(httpx.ConnectError):
            await client.get("/")


async def test_a_hang_up_after_the_request_is_sent_but_unanswered(server) -> None:
    url, seen, handlers = server
    handlers.append(hang_up)
    async with _client(url) as client:
        with pytest.raises(httpx.TransportError) as caught:
            await client.post("/v1/videos", json={"prompt": "p"})
    assert not isinstance(caught.value, httpx.ConnectError | httpx.ConnectTimeout)
    assert len(seen) == 1


async def test_a_slow_answer_is_a_read_timeout(server) -> None:
    url, _, handlers = server
    handlers.append(lambda conn, _request: threading.Event().wait(2))
    async with _client(url, timeout=httpx.Timeout(5, read=0.3)) as client:
        with pytest.raises(httpx.ReadTimeout):
            await client.get("/slow")


async def test_through_the_upstream_client_a_lost_create_answer_is_ambiguous(server) -> None:
    url, seen, handlers = server
    handlers += [hang_up, answer(200, b'{"id": "dup"}')]
    client = UpstreamClient("test", ProviderSettings(max_retry_wait_seconds=0), auth_headers={}, base_url=url)
    try:
        with pytest.raises(UpstreamError) as caught:
            await client.create("/v1/videos", json={"prompt": "once"})
    finally:
        await client.aclose()
    assert caught.value.ambiguous and len(seen) == 1  # never sent twice
    assert isinstance(client.http._transport, AiohttpTransport)
