"""The processes of `vidgate serve --workers N`: a listening socket of its own for each HTTP
process, and the supervisor that keeps the processes running and stops them together."""

from __future__ import annotations

import asyncio
import os
import socket
import threading
import time
import types
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support import children
from vidgate.cli import processes
from vidgate.cli.processes import STARTUP_FAILURE, Supervisor, listening_sockets

pytestmark = pytest.mark.skipif(not hasattr(socket, "SO_REUSEPORT"), reason="Linux's SO_REUSEPORT")


def test_each_http_process_gets_a_listening_socket_of_its_own_and_the_kernel_spreads_connections() -> None:
    sockets = listening_sockets("127.0.0.1", 0, 2)
    try:
        assert len({s.fileno() for s in sockets}) == 2, "one socket shared: whichever wakes first takes all"
        port = sockets[0].getsockname()[1]
        assert [s.getsockname()[1] for s in sockets] == [port, port]
        clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(64)]
        accepted = []
        for sock in sockets:
            sock.setblocking(False)
            count = 0
            while True:
                try:
                    conn, _ = sock.accept()
                except BlockingIOError:
                    break
                conn.close()
                count += 1
            accepted.append(count)
        for client in clients:
            client.close()
        assert sum(accepted) == 64
        assert min(accepted) > 0, accepted  # all 64 on one socket: odds of 2**-63
    finally:
        for sock in sockets:
            sock.close()


def test_a_taken_port_is_an_error_before_any_process_starts() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(OSError):
            listening_sockets("127.0.0.1", taken.getsockname()[1], 2)


def _files(folder: Path, prefix: str) -> set[str]:
    return {p.name.split("-", 1)[1] for p in folder.glob(f"{prefix}-*")}


def _when(condition: Callable[[], bool], then: Callable[[], None], timeout: float = 30) -> threading.Thread:
    """Runs `then` on a thread once `condition` holds (or after `timeout`), while the supervisor
    holds the main thread (it must: it handles SIGTERM)."""

    def watch() -> None:
        deadline = time.monotonic() + timeout
        while not condition() and time.monotonic() < deadline:
            time.sleep(0.05)
        then()

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread


def _gone(pid: str) -> bool:
    return not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()


def test_a_process_that_dies_is_started_again_and_sigterm_stops_them_all_gracefully(tmp_path: Path) -> None:
    # Beating every 0.05 s, neither is taken for stuck.
    supervisor = Supervisor(children.child, [(str(tmp_path),)] * 2, report=lambda _line: None, hang_seconds=1)
    killed: list[str] = []

    def kill_one() -> None:
        killed.append(sorted(_files(tmp_path, "started"))[0])
        os.kill(int(killed[0]), 9)
        _when(lambda: len(_files(tmp_path, "started")) == 3, supervisor.stop).join()

    _when(lambda: len(_files(tmp_path, "started")) == 2, kill_one)
    assert supervisor.run() == 0
    started = _files(tmp_path, "started")
    assert len(started) == 3, f"the killed process was not started again: {started}"
    assert _files(tmp_path, "stopped") == started - set(killed), "each running process stops on SIGTERM"
    assert all(_gone(pid) for pid in started)


def test_a_process_that_cannot_start_stops_the_others_with_its_code(tmp_path: Path) -> None:
    broken, running = tmp_path / "broken", tmp_path / "running"
    broken.mkdir(), running.mkdir()
    args = [(str(running),), (str(broken), STARTUP_FAILURE, str(running))]
    supervisor = Supervisor(children.child, args, report=lambda _line: None)
    _when(lambda: False, supervisor.stop, timeout=10)  # rather than hang if it never gives up
    assert supervisor.run() == STARTUP_FAILURE
    assert len(_files(broken, "started")) == 1, "a process that cannot start is not started again"
    assert len(_files(running, "started")) == 1
    assert _files(running, "stopped") == _files(running, "started"), "the others stop gracefully"


def test_a_process_that_keeps_dying_young_is_started_again_ever_more_slowly(tmp_path: Path) -> None:
    supervisor = Supervisor(children.child, [(str(tmp_path), 1)], report=lambda _line: None)
    timer = threading.Timer(4.0, supervisor.stop)
    timer.start()
    assert supervisor.run() == 0
    # Back-off 1, 2, 4 s after the first three deaths: about 3 starts in 4 s; without it, one per
    # quarter second.
    assert 2 <= len(_files(tmp_path, "started")) <= 5, _files(tmp_path, "started")


def test_a_process_whose_loop_stands_still_is_killed_and_started_again(tmp_path: Path) -> None:
    lines: list[str] = []
    supervisor = Supervisor(
        children.child, [(str(tmp_path), None, None, True)], report=lines.append, hang_seconds=1
    )
    _when(lambda: len(_files(tmp_path, "started")) == 2, supervisor.stop, timeout=15)
    assert supervisor.run() == 0
    started = _files(tmp_path, "started")
    assert len(started) == 2, f"the process that stood still was not replaced: {lines}"
    assert any("its event loop stood still for 1 s" in line for line in lines), lines
    assert any("was killed by SIGKILL; starting it again" in line for line in lines), lines


def test_start_up_is_not_watched_the_loop_beats_once_ready(monkeypatch: pytest.MonkeyPatch) -> None:
    """A process is watched only once started: migrations may hold its loop for minutes."""
    monkeypatch.setattr(processes, "BEAT_SECONDS", 0.01)
    heartbeat = types.SimpleNamespace(value=0.0)
    ready = threading.Event()

    async def work() -> str:
        await asyncio.sleep(0.1)
        assert heartbeat.value == 0.0, "beating during start-up"
        ready.set()
        await asyncio.sleep(0.1)
        return "served"

    assert asyncio.run(processes.beating(heartbeat, work(), ready.is_set)) == "served"
    assert heartbeat.value > 0, "no beat once started"
