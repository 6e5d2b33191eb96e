"""What the tracing tests share: a webhook receiver, polling helpers, span lookups."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

KEY = "vg-tracing-test-key"
H = {"Authorization": f"Bearer {KEY}"}
SECRET = "whsec_" + "dHJhY2luZy10ZXN0LXNlY3JldC0wMTIz"  # base64 of 24 bytes


class Receiver:
    """A webhook endpoint that keeps the headers of what it was sent."""

    def __init__(self) -> None:
        self.headers: list[dict[str, str]] = []

    async def hook(self, request: Request) -> Response:
        await request.body()
        self.headers.append(dict(request.headers))
        return Response(status_code=204)

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/hook", self.hook, methods=["POST"])])


def wait_for(predicate: Callable[[], Any], timeout: float = 60, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def traceparent_ids(value: str) -> tuple[str, str]:
    """(trace id, parent span id) of a W3C traceparent header."""
    version, trace_id, span_id, _flags = value.split("-")
    assert version == "00" and len(trace_id) == 32 and len(span_id) == 16, value
    return trace_id, span_id


def named(spans: Iterable[Any], name: str) -> list[Any]:
    return [s for s in spans if s.name == name]


def one(spans: Iterable[Any], name: str) -> Any:
    found = named(spans, name)
    assert len(found) == 1, f"{len(found)} spans named {name!r}"
    return found[0]
