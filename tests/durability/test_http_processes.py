"""`vidgate serve --workers 2` as users run it, on PostgreSQL: each HTTP process listens on a socket
of its own (so the kernel spreads connections over them evenly), one killed is started again while
clients keep being answered, one whose event loop stands still (HTTP or worker) is replaced, and
SIGTERM stops every process."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.support.server import ServerProcess

KEY = "vg-processes-test-key"
H = {"Authorization": f"Bearer {KEY}"}


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _listening_inodes(port: int) -> set[str]:
    """The inodes of the sockets listening on `port` (state 0A in /proc/net/tcp)."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1].endswith(f":{port:04X}") and fields[3] == "0A":
            inodes.add(fields[9])
    return inodes


def _sockets_held(pid: int, inodes: set[str]) -> set[str]:
    held = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:[") and target[8:-1] in inodes:
            held.add(target[8:-1])
    return held


def _until(condition: Callable[[], bool], seconds: float, every: float = 0.1) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(every)


def _http_processes(server: ServerProcess) -> dict[int, set[str]]:
    """The supervisor's children that listen, each with the listening sockets it holds."""
    assert server.proc is not None
    inodes = _listening_inodes(server.port)
    held = {pid: _sockets_held(pid, inodes) for pid in _children(server.proc.pid)}
    return {pid: sockets for pid, sockets in held.items() if sockets}


@pytest.mark.slow
def test_two_http_processes_listen_apart_survive_a_kill_and_stop_together(
    pg_url: str, tmp_path: Path
) -> None:
    server = ServerProcess(
        tmp_path, {"VIDGATE_API_KEYS": KEY, "VIDGATE_DATABASE_URL": pg_url}, args=("--workers", "2")
    )
    server.start(timeout=90)
    try:
        _until(lambda: len(_http_processes(server)) == 2, 60)
        first = _http_processes(server)
        sockets = [s for held in first.values() for s in held]
        assert len(first) == 2 and len(sockets) == 2 and len(set(sockets)) == 2, (
            f"each HTTP process should hold one listening socket of its own: {first}"
        )
        video = httpx.post(
            f"{server.url}/v1/videos",
            headers=H,
            json={"model": "local/testcard", "prompt": "processes", "seconds": 1, "size": "64x64"},
            timeout=30,
        ).json()["id"]

        killed = min(first)
        os.kill(killed, signal.SIGKILL)
        # A new connection each time, so half of them land on the killed process's socket: they
        # wait in its queue until the process that replaces it takes them.
        answers = [
            httpx.get(f"{server.url}/v1/videos/{video}", headers=H, timeout=30).status_code for _ in range(20)
        ]
        assert answers == [200] * 20

        def replaced() -> bool:
            now = _http_processes(server)
            return len(now) == 2 and killed not in now

        _until(replaced, 60)
        now = _http_processes(server)
        assert len(now) == 2 and killed not in now, now
        assert sorted(s for held in now.values() for s in held) == sorted(sockets), (
            "the same sockets, taken over"
        )
        assert "was killed by SIGKILL; starting it again" in server.log()

        assert server.stop() == 0
        assert not [pid for pid in now if Path(f"/proc/{pid}").exists()], "a process outlived SIGTERM"
    finally:
        server.kill()


@pytest.mark.slow
def test_an_http_process_whose_loop_stands_still_is_replaced(pg_url: str, tmp_path: Path) -> None:
    env = {"VIDGATE_API_KEYS": KEY, "VIDGATE_DATABASE_URL": pg_url, "VIDGATE_HANG_SECONDS": "2"}
    server = ServerProcess(tmp_path, env, args=("--workers", "2"))
    server.start(timeout=90)
    try:
        _until(lambda: len(_http_processes(server)) == 2, 60)
        time.sleep(3)  # longer than the hang limit: both loops beat, neither is taken for stuck
        healthy = _http_processes(server)
        assert len(healthy) == 2, healthy
        stuck = min(healthy)
        os.kill(stuck, signal.SIGSTOP)  # alive, its loop standing still
        _until(lambda: stuck not in _http_processes(server), 30, every=0.2)
        assert stuck not in _http_processes(server), "a process that stood still was left serving"
        assert "its event loop stood still for 2 s" in server.log()
        _until(lambda: len(_http_processes(server)) == 2, 30)
        assert max(healthy) in _http_processes(server), "the healthy process was replaced too"
        answers = [httpx.get(f"{server.url}/health", timeout=30).status_code for _ in range(10)]
        assert answers == [200] * 10
        assert server.stop() == 0
    finally:
        server.kill()


def _spawned(server: ServerProcess) -> set[int]:
    """The supervisor's spawned processes (not multiprocessing's resource tracker)."""
    assert server.proc is not None
    found = set()
    for pid in _children(server.proc.pid):
        try:
            if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.add(pid)
        except OSError:
            continue
    return found


@pytest.mark.slow
def test_a_worker_process_whose_loop_stands_still_is_replaced(pg_url: str, tmp_path: Path) -> None:
    env = {"VIDGATE_API_KEYS": KEY, "VIDGATE_DATABASE_URL": pg_url, "VIDGATE_HANG_SECONDS": "2"}
    server = ServerProcess(tmp_path, env, args=("--role", "worker", "--workers", "2"))
    server.start(timeout=90)
    try:
        _until(lambda: len(server.worker_owners()) == 2, 60)
        time.sleep(3)  # longer than the hang limit: both loops beat, neither is taken for stuck
        workers = _spawned(server)
        assert len(workers) == 2 and len(server.worker_owners()) == 2, (workers, server.log()[-2000:])
        stuck = min(workers)
        os.kill(stuck, signal.SIGSTOP)
        _until(lambda: len(server.worker_owners()) == 3, 30, every=0.2)
        assert stuck not in _spawned(server) and len(server.worker_owners()) == 3, server.log()[-2000:]
        assert "its event loop stood still for 2 s" in server.log()
        assert server.stop() == 0
    finally:
        server.kill()
