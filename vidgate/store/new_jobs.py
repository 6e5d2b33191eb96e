"""Wakes a process's worker when any process inserts a job that can run now: PostgreSQL's
LISTEN/NOTIFY, sent by the jobs table's trigger (migration 0010) when the insert commits.

With API and worker processes apart (`--role api` / `--role worker`, or several hosts), the
process that takes a create cannot poke a worker elsewhere; without this a new job waits for some
worker's next claim poll (`VIDGATE_POLL_INTERVAL_SECONDS`). The claim poll stays for what no
notice announces: a job another process has just submitted upstream, a lease run out, and jobs
created while the listening connection was down (steps that come due wake the worker too, see
`Worker._run`)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine

from .side_pool import asyncpg_dsn

log = structlog.get_logger("vidgate.store")

CHANNEL = "vidgate_new_jobs"
RECONNECT_SECONDS = 1.0
CONNECT_SECONDS = 10.0
STOP_SECONDS = 2.0
CHECK_SECONDS = 5.0  # how often a connection that went quiet is checked for being closed


class NewJobListener:
    """A connection of its own that LISTENs, reconnecting after losing it; `on_new_job` runs on
    the loop that started it, once per notice, and once after each (re)connect for what was
    inserted while nobody listened."""

    def __init__(self, dsn: str, on_new_job: Callable[[], None]) -> None:
        self._dsn = dsn
        self._on_new_job = on_new_job
        self._stopping = False
        self._wake = asyncio.Event()  # set on stop and when the connection is lost
        self._task: asyncio.Task[None] | None = None
        self.connected = asyncio.Event()

    @classmethod
    def for_engine(cls, engine: AsyncEngine, on_new_job: Callable[[], None]) -> NewJobListener | None:
        """None on SQLite: one process, which pokes its own worker."""
        if engine.url.get_backend_name() != "postgresql":
            return None
        return cls(asyncpg_dsn(engine), on_new_job)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="vidgate-new-jobs")

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        if self._task is not None and not (await asyncio.wait({self._task}, timeout=STOP_SECONDS))[0]:
            self._task.cancel()  # still connecting to a database that does not answer
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while not self._stopping:
            try:
                await self._listen()
            except Exception as exc:  # the database is down or restarting: try again shortly
                log.warning("new_job_listener_failed", error=f"{type(exc).__name__}: {exc}"[:300])
            self.connected.clear()
            self._wake.clear()  # before the check, as below
            if not self._stopping:
                await self._sleep(RECONNECT_SECONDS)

    async def _listen(self) -> None:
        import asyncpg

        conn = await asyncpg.connect(self._dsn, timeout=CONNECT_SECONDS)
        try:
            conn.add_termination_listener(lambda _conn: self._wake.set())
            await conn.add_listener(CHANNEL, self._notified)
            self.connected.set()
            self._on_new_job()  # jobs inserted while this process was not listening
            while True:
                self._wake.clear()  # before the checks: a stop or loss after them still wakes us
                if self._stopping or conn.is_closed():
                    break
                await self._sleep(CHECK_SECONDS)
            if not self._stopping:
                log.warning("new_job_listener_lost")
        finally:
            if not conn.is_closed():
                conn.terminate()

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)

    def _notified(self, *_: Any) -> None:
        self._on_new_job()
