"""Loopback fake servers: real HTTP on 127.0.0.1, recording requests, with injectable faults."""

from __future__ import annotations

import asyncio
import functools
import io
import random
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import uvicorn
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from tests.support.server import free_port


@dataclass
class Call:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Fault:
    """What the next matching request gets instead of an answer."""

    kind: str  # "status", "timeout", "reset", "truncate", "malformed", "wrong_shape", "lost_answer"
    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    body: dict | None = None
    method: str | None = None
    path: str = ".*"
    times: int = 1


# Every kind of upstream failure the fault suites draw from.
CHAOS_MENU = [
    Fault("status", 429, headers={"retry-after-ms": "50"}),
    Fault("status", 429),
    Fault("status", 500),
    Fault("status", 502),
    Fault("status", 503, headers={"retry-after": "0"}),
    Fault("status", 504),
    Fault("reset"),
    Fault("truncate"),
    Fault("malformed"),
    Fault("wrong_shape"),
    Fault("lost_answer"),
    Fault("timeout"),
]


class FaultyApp:
    """Wraps a Starlette app: records every request, plays injected faults first."""

    def __init__(self, app) -> None:
        self.app = app
        self.calls: list[Call] = []
        self.faults: list[Fault] = []
        self.lock = threading.Lock()
        self.chaos: tuple[float, random.Random, list[Fault]] | None = None

    def set_chaos(self, rate: float, seed: int, menu: list[Fault]) -> None:
        """Fail `rate` of all requests at random (seeded), each with a fault drawn from `menu`."""
        self.chaos = (rate, random.Random(seed), menu) if rate else None

    def inject(self, fault: Fault) -> None:
        with self.lock:
            self.faults.append(fault)

    def _take_fault(self, method: str, path: str) -> Fault | None:
        with self.lock:
            if self.chaos is not None:
                rate, rng, menu = self.chaos
                if rng.random() < rate:
                    return rng.choice(menu)
            for fault in self.faults:
                if (fault.method in (None, method)) and re.search(fault.path, path):
                    fault.times -= 1
                    if fault.times <= 0:
                        self.faults.remove(fault)
                    return fault
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        self.calls.append(Call(scope["method"], scope["path"], scope["query_string"].decode(), headers, body))
        fault = self._take_fault(scope["method"], scope["path"])
        if fault is not None and fault.kind != "lost_answer":
            await self._play(fault, scope, send)
            return
        sent = False

        async def replay() -> dict:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        if fault is not None:  # lost_answer: the app acts on the request, the answer never arrives

            async def swallow(message: dict) -> None:
                return None

            await self.app(scope, replay, swallow)
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", b"4096")],
                }
            )
            await send({"type": "http.response.body", "body": b'{"id": "', "more_body": True})
            raise ConnectionResetError("injected: answer lost after the request was processed")
        await self.app(scope, replay, send)

    async def _play(self, fault: Fault, scope: Scope, send: Send) -> None:
        if fault.kind == "status":
            body = fault.body or {"error": {"message": f"injected {fault.status}", "type": "server_error"}}
            await JSONResponse(body, fault.status, headers=fault.headers)(scope, self._noop_receive, send)
        elif fault.kind == "timeout":
            await asyncio.sleep(30)
        elif fault.kind in ("reset", "truncate"):
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", b"1000")],
                }
            )
            if fault.kind == "truncate":
                await send({"type": "http.response.body", "body": b'{"id": "vid', "more_body": True})
            raise ConnectionResetError("injected reset")
        elif fault.kind == "malformed":
            await Response(b"{not json", 200, media_type="application/json")(scope, self._noop_receive, send)
        elif fault.kind == "wrong_shape":
            await JSONResponse(["unexpected", "shape"], 200)(scope, self._noop_receive, send)

    @staticmethod
    async def _noop_receive() -> dict:
        return {"type": "http.disconnect"}

    def count(self, method: str, path_regex: str) -> int:
        return sum(1 for c in self.calls if c.method == method and re.search(path_regex, c.path))


class FakeServer:
    """Runs an ASGI app with uvicorn on a free loopback port in a thread."""

    def __init__(self, app, *, host: str = "127.0.0.1", port: int | None = None) -> None:
        self.app = FaultyApp(app)
        self.host = host
        self.port = port or free_port()
        self.server = uvicorn.Server(
            uvicorn.Config(self.app, host=host, port=self.port, log_level="error", lifespan="off")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def __enter__(self) -> FakeServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("fake server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@functools.cache
def sample_media() -> dict[str, bytes]:
    """A real small MP4 (and its stills), made once with the local renderer, for fakes to serve."""
    import tempfile

    from vidgate.render import ClipSpec, render_clip

    out = Path(tempfile.mkdtemp(prefix="fake-media-"))
    files = render_clip(
        ClipSpec(prompt="upstream sample", seconds=1, width=320, height=180, style="testcard"), out
    )
    return {variant: path.read_bytes() for variant, path in files.items()}


def png_bytes() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()
