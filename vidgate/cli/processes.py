"""The processes of `vidgate serve --workers N` on one host, supervised here rather than by uvicorn's
`--workers`: uvicorn's processes share one listening socket, and whichever wakes first accepts
every connection then waiting (16 clients landed 3/13, 5/11 on two processes), so one process
saturated while the other idled. Here each HTTP process gets a listening socket of its own on the
same port (SO_REUSEPORT), and the kernel spreads connections over them. The supervisor also starts
again a process that died or whose event loop stands still, and stops them all together."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")

STARTUP_FAILURE = 3  # uvicorn's exit code for a process that never served: restarting it cannot help
QUICK_EXIT_SECONDS = 10.0  # a process that exits sooner than this after starting backs off
HANG_SECONDS = 60.0  # a process whose event loop has not beaten for this long is killed and replaced
BEAT_SECONDS = 1.0
MAX_BACKOFF_SECONDS = 30.0
STOP_GRACE_SECONDS = 20.0  # a process's own graceful stop (10 s for HTTP) and some, then SIGKILL


def _balances_reuse_port() -> bool:
    # BSD and macOS accept SO_REUSEPORT but do not spread connections over the sockets.
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def listening_sockets(host: str, port: int, count: int, backlog: int = 2048) -> list[socket.socket]:
    """`count` sockets listening on one address, one per HTTP process: on Linux each its own
    (SO_REUSEPORT; only processes of the same user can join the group), elsewhere one shared.
    Bound here, in the supervisor, so a taken port is one clear error before any process starts,
    and connections queue from the first moment."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    own = _balances_reuse_port()
    sockets: list[socket.socket] = []
    try:
        for _ in range(count if own else 1):
            sock = socket.socket(family, socket.SOCK_STREAM)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if own:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind((host, port))
            port = sock.getsockname()[1]  # port 0: the others join the port the first one got
            sock.listen(backlog)
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    return sockets if own else sockets * count


def _ended(code: int | None) -> str:
    if code is not None and code < 0:
        return f"was killed by {signal.Signals(-code).name}"
    return f"exited with {code}"


async def _beat(heartbeat: Any, ready: Callable[[], bool]) -> None:
    while True:
        if ready():
            heartbeat.value = time.monotonic()  # one clock for every process on the host
        await asyncio.sleep(BEAT_SECONDS)


async def beating(heartbeat: Any, work: Awaitable[T], ready: Callable[[], bool]) -> T:
    """Awaits `work` while the loop notes on `heartbeat` (a supervised process's, or None) the time
    of its last turn, once `ready` says start-up is over, and the supervisor reads it. Start-up is
    not watched: migrations may hold the loop for minutes. A loop blocked later (a call that never
    returns, a deadlock) stops beating, where a thread answering pings (uvicorn's) answers for it."""
    if heartbeat is None:
        return await work
    task = asyncio.create_task(_beat(heartbeat, ready))
    try:
        return await work
    finally:
        task.cancel()


@dataclass
class _Slot:
    """One process the supervisor keeps running, and how often it has died young."""

    args: tuple[Any, ...]
    heartbeat: Any  # a double in shared memory; 0 until the process's loop first beats
    process: multiprocessing.process.BaseProcess | None = None
    starts: int = 0
    started_at: float = 0.0
    quick_exits: int = 0
    due_at: float = 0.0


@dataclass
class Supervisor:
    """Runs `target(*args)` in one spawned process per entry of `args`, until SIGTERM or SIGINT:
    then each process gets SIGTERM and stops gracefully (HTTP drains, jobs hand back their leases).
    A process that dies is started again, backing off while it keeps dying young; one that exits
    with STARTUP_FAILURE at its first start stops them all: its configuration will not get better.
    Each process gets a `heartbeat` keyword to run its loop `beating` with; one whose loop stops for
    `hang_seconds` is killed and started again."""

    target: Callable[..., None]
    args: Sequence[tuple[Any, ...]]
    name: str = "vidgate"
    on_stop: Callable[[], None] = lambda: None
    report: Callable[[str], None] = print
    hang_seconds: float = HANG_SECONDS
    _stopping: threading.Event = field(default_factory=threading.Event, init=False)

    def run(self) -> int:
        context = multiprocessing.get_context("spawn")
        slots = [_Slot(args, context.Value("d", 0.0, lock=False)) for args in self.args]
        previous = {sig: signal.signal(sig, self._stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        exit_code = 0
        try:
            for index, slot in enumerate(slots):
                self._start(context, index, slot)
            while not self._stopping.wait(0.25):
                for index, slot in enumerate(slots):
                    if self._check(context, index, slot) == STARTUP_FAILURE:
                        exit_code = STARTUP_FAILURE
                        self._stopping.set()
                        break
        finally:
            self.on_stop()
            self._stop_all(slots)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return exit_code

    def stop(self) -> None:
        self._stopping.set()

    def _stop(self, _signum: int, _frame: object) -> None:
        self._stopping.set()

    def _start(self, context: Any, index: int, slot: _Slot) -> None:
        slot.heartbeat.value = 0.0  # not watched until the new process's loop runs (start-up may be long)
        slot.process = context.Process(
            target=self.target,
            args=slot.args,
            kwargs={"heartbeat": slot.heartbeat},
            name=f"{self.name}-{index}",
        )
        slot.process.start()
        slot.starts += 1
        slot.started_at = time.monotonic()

    def _check(self, context: Any, index: int, slot: _Slot) -> int | None:
        """Starts the slot's process again if it died (when its back-off allows); returns the exit
        code of a process that could not start at all."""
        process = slot.process
        now = time.monotonic()
        if process is not None:
            if process.is_alive():
                if not self._hung(slot, now):
                    return None
                silent = f"{self.hang_seconds:.0f} s"
                self.report(f"{process.name} (pid {process.pid}): its event loop stood still for {silent}")
                process.kill()
            process.join()
            code = process.exitcode
            if code == STARTUP_FAILURE and slot.starts == 1:
                self.report(f"{process.name} (pid {process.pid}) could not start; stopping")
                return code
            # Later, a failed start may be passing (the database restarting): back off and retry.
            young = now - slot.started_at < QUICK_EXIT_SECONDS
            slot.quick_exits = slot.quick_exits + 1 if young else 0
            slot.due_at = now + min(0.5 * 2**slot.quick_exits, MAX_BACKOFF_SECONDS) if young else now
            self.report(f"{process.name} (pid {process.pid}) {_ended(code)}; starting it again")
            slot.process = None
        if now >= slot.due_at:
            self._start(context, index, slot)
        return None

    def _hung(self, slot: _Slot, now: float) -> bool:
        last = slot.heartbeat.value
        return last > 0 and now - last > self.hang_seconds

    def _stop_all(self, slots: list[_Slot]) -> None:
        running = [s.process for s in slots if s.process is not None and s.process.is_alive()]
        for process in running:
            if process.pid is not None:
                os.kill(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for process in running:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                self.report(f"{process.name} (pid {process.pid}) did not stop in time; killing it")
                process.kill()
                process.join()
