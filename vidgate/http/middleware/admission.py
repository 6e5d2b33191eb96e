"""How many requests are served at once; the rest wait their turn (FIFO) before any work is done.

With hundreds of connections all runnable, every event-loop turn would run hundreds of request
steps, and the worker, on the same loop, would fall behind its poll interval."""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Receive, Scope, Send


class Admission:
    def __init__(self, app: ASGIApp, *, max_in_flight: int = 64) -> None:
        self.app = app
        self.slots = asyncio.Semaphore(max_in_flight)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        async with self.slots:
            await self.app(scope, receive, send)
