"""API and worker processes apart, on several "hosts" (loopback addresses 127.0.0.2, .3, ...) over
one PostgreSQL and one S3 bucket: API processes never poll upstream; a worker host killed mid-job
leaves its jobs to another, with no duplicate upstream submission; an API host killed loses the
clients of the other nothing."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.support.server import ServerProcess
from vidgate.gateway.roles import Role, RolePlanError, plan_processes

from .conftest import pg_rows, upstream_env

KEY = "vg-roles-test-key"
H = {"Authorization": f"Bearer {KEY}"}
PG = "postgresql+asyncpg://u@h/db"
SQLITE = "sqlite+aiosqlite:///data/vidgate.db"


@pytest.mark.parametrize(
    ("role", "workers", "url", "expected"),
    [
        ("all", None, SQLITE, (Role.ALL, 1)),
        ("all", 1, SQLITE, (Role.ALL, 1)),
        ("api", 3, PG, (Role.API, 3)),
        ("worker", 1, PG, (Role.WORKER, 1)),
    ],
)
def test_plans_each_database_supports(role: str, workers: int | None, url: str, expected: tuple) -> None:
    plan = plan_processes(role, workers, url)
    assert (plan.role, plan.processes) == expected


def test_the_default_on_postgresql_is_a_process_per_core() -> None:
    import os

    assert plan_processes("all", None, PG).processes == (os.cpu_count() or 1)


@pytest.mark.parametrize(("role", "workers"), [("api", None), ("worker", None), ("all", 2)])
def test_several_processes_on_sqlite_are_refused_with_what_to_do(role: str, workers: int | None) -> None:
    with pytest.raises(RolePlanError) as refused:
        plan_processes(role, workers, SQLITE)
    assert "needs PostgreSQL" in str(refused.value) and "VIDGATE_DATABASE_URL" in str(refused.value)


def test_serve_says_so_and_exits_2(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "VIDGATE_DATA_DIR": str(tmp_path), "VIDGATE_API_KEYS": KEY}
    done = subprocess.run(
        [sys.executable, "-m", "vidgate.cli", "serve", "--role", "worker"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "--role worker needs PostgreSQL" in " ".join(done.stderr.split())
    assert "Traceback" not in done.stderr


def _create(url: str, body: dict) -> dict:
    r = httpx.post(f"{url}/v1/videos", headers=H, json=body, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()


def _settle(url: str, jobs: list[dict], timeout: float = 120) -> list[dict]:
    deadline = time.monotonic() + timeout
    while True:
        states = [httpx.get(f"{url}/v1/videos/{j['id']}", headers=H, timeout=10).json() for j in jobs]
        if all(s["status"] in ("completed", "failed") for s in states) or time.monotonic() > deadline:
            return states
        time.sleep(0.25)


@pytest.mark.slow
def test_api_and_worker_hosts_apart_survive_losing_one_of_each(
    s3, pg_url: str, upstream, tmp_path: Path
) -> None:
    fake, fake_server = upstream
    env = {
        "VIDGATE_API_KEYS": KEY,
        "VIDGATE_DATABASE_URL": pg_url,
        "VIDGATE_LEASE_SECONDS": "2",
        **s3.env(s3.new_bucket()),
        **upstream_env(fake_server),
    }
    api_1 = ServerProcess(tmp_path / "api-1", env, host="127.0.0.2", args=("--role", "api", "--workers", "2"))
    api_2 = ServerProcess(tmp_path / "api-2", env, host="127.0.0.3", args=("--role", "api", "--workers", "1"))
    worker_1 = ServerProcess(tmp_path / "worker-1", env, host="127.0.0.4", args=("--role", "worker"))
    worker_2 = ServerProcess(tmp_path / "worker-2", env, host="127.0.0.5", args=("--role", "worker"))
    everyone = (api_1, api_2, worker_1, worker_2)
    try:
        api_1.start(timeout=60)
        api_2.start(timeout=60)

        # With no worker anywhere, jobs are accepted and submitted, and nobody polls upstream.
        remote = [_create(api_1.url, {"model": "openai/sora-2", "prompt": f"remote {i}"}) for i in range(4)]
        local = [
            _create(
                api_2.url,
                {"model": "local/default", "prompt": f"local {i}", "seconds": 20, "size": "1280x720"},
            )
            for i in range(4)
        ]
        time.sleep(1.5)  # several poll intervals (0.2 s)
        assert fake.creates == len(remote)
        polls = [c for c in fake_server.app.calls if c.method == "GET"]
        assert polls == [], "an API process polled upstream"
        assert {
            s["status"]
            for s in (httpx.get(f"{api_2.url}/v1/videos/{j['id']}", headers=H).json() for j in local)
        } == {"queued"}

        # Worker host 1 alone takes the renders; it is killed as soon as it holds one it has only
        # begun, and worker host 2, started then, finishes what it held. (Started together, host 1
        # could render everything before host 2 was up, under load, leaving nothing to kill it in.)
        worker_1.start(timeout=60)
        owners = worker_1.worker_owners()
        in_list = ", ".join(repr(o) for o in owners)
        holding = (
            f"SELECT id FROM jobs WHERE lease_owner IN ({in_list}) "
            "AND provider = 'local' AND status = 'in_progress'"
        )
        deadline = time.monotonic() + 60
        while not pg_rows(pg_url, holding + " AND progress < 50") and time.monotonic() < deadline:
            time.sleep(0.02)
        worker_1.kill()
        # What it held when it died: a render it finished in the meantime has no holder any more.
        held = [i for (i,) in pg_rows(pg_url, holding)]
        assert held, "worker host 1 never held a render"
        worker_2.start(timeout=60)

        # Clients poll API host 2 while API host 1 dies: not one of their requests fails.
        failures: list[object] = []
        stop = threading.Event()

        def poll_host_2() -> None:
            with httpx.Client(headers=H, timeout=10) as client:
                while not stop.is_set():
                    for j in remote + local:
                        try:
                            r = client.get(f"{api_2.url}/v1/videos/{j['id']}")
                            if r.status_code != 200:
                                failures.append(r.status_code)
                        except httpx.HTTPError as exc:
                            failures.append(repr(exc))

        poller = threading.Thread(target=poll_host_2)
        poller.start()
        try:
            time.sleep(0.5)
            api_1.kill()
            states = _settle(api_2.url, remote + local)
        finally:
            stop.set()
            poller.join()
        assert failures == []
        assert [s["status"] for s in states] == ["completed"] * len(states), states

        # Everything downloads through the survivor; nothing was submitted twice; the render the
        # dead worker held was run again, by the other worker.
        for j in (remote[0], local[0]):
            r = httpx.get(f"{api_2.url}/v1/videos/{j['id']}/content", headers=H, timeout=30)
            assert r.status_code == 200 and r.content[4:8] == b"ftyp"
        assert fake.creates == len(remote)
        attempts = dict(pg_rows(pg_url, "SELECT id, attempts FROM jobs WHERE provider = 'local'"))
        assert all(attempts[i] >= 2 for i in held), (held, attempts)
        print(
            f"\nhosts: API x2 (127.0.0.2 with 2 processes, 127.0.0.3), workers x2 (127.0.0.4, .5); "
            f"worker host 1 killed holding {len(held)} render(s), API host 1 killed; "
            f"{len(states)} jobs completed, {fake.creates} upstream creates for {len(remote)} jobs, "
            f"0 failed client requests"
        )
    finally:
        for server in everyone:
            if server.proc is not None:
                server.kill()
