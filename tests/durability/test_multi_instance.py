"""Two gateway processes on one PostgreSQL and one S3 bucket: any instance serves any job, and
when one is killed mid-work the other finishes everything, submitting nothing twice."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.support.databases import migration_head
from tests.support.server import ServerProcess
from vidgate.gateway.roles import plan_processes

from .conftest import pg_rows, upstream_env

KEY = "vg-multi-instance"
H = {"Authorization": f"Bearer {KEY}"}


def create(url: str, body: dict) -> dict:
    r = httpx.post(f"{url}/v1/videos", headers=H, json=body, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()


@pytest.mark.slow
def test_two_instances_one_database_kill_one(s3, pg_url: str, upstream, tmp_path: Path) -> None:
    fake, fake_server = upstream
    bucket = s3.new_bucket()
    env = {
        "VIDGATE_API_KEYS": KEY,
        "VIDGATE_DATABASE_URL": pg_url,
        "VIDGATE_LEASE_SECONDS": "2",
        **s3.env(bucket),
        **upstream_env(fake_server),
    }
    a = ServerProcess(tmp_path / "a", env=env)
    b = ServerProcess(tmp_path / "b", env=env)
    with ThreadPoolExecutor(2) as pool:  # start together: migrations must serialise themselves
        list(pool.map(lambda s: s.start(), (a, b)))
    assert pg_rows(pg_url, "SELECT version_num FROM alembic_version") == [(migration_head(),)]
    try:
        # Created on A; A renders (one at a time) and polls. The renders last, so that A is watched
        # from their start: under load a create took 1.4 s, and with the renders first, A's were
        # past 40% before the watch below began (seen in CI).
        remote = [create(a.url, {"model": "openai/sora-2", "prompt": f"upstream {i}"}) for i in range(4)]
        # Kill A as soon as it holds a render (A's worker names itself in its start-up line).
        # (with PostgreSQL each instance runs a process per core, each with its own worker)
        processes = plan_processes("all", None, pg_url).processes
        deadline = time.monotonic() + 30
        while len(a.worker_owners()) < processes and time.monotonic() < deadline:
            time.sleep(0.05)  # /health answered from one process: the others may still be starting
        a_owners = a.worker_owners()
        assert len(a_owners) == processes, a.log()[-3000:]
        local = [
            create(
                a.url, {"model": "local/default", "prompt": f"shared {i}", "seconds": 20, "size": "1280x720"}
            )
            for i in range(6)
        ]
        every = local + remote
        deadline = time.monotonic() + 30
        held: list[str] = []
        while time.monotonic() < deadline and not held:
            held = [
                job_id
                for (job_id,) in pg_rows(
                    pg_url,
                    "SELECT id FROM jobs WHERE provider = 'local' AND lease_owner IN "
                    f"({', '.join(repr(o) for o in a_owners)}) "
                    "AND status = 'in_progress' AND progress < 40",
                )
            ]
            time.sleep(0.02)
        a.kill()
        assert held, "A never held a render to be killed in"
        # Any instance answers for any job.
        assert httpx.get(f"{b.url}/v1/videos/{local[0]['id']}", headers=H).status_code == 200
        owners = ", ".join(repr(o) for o in a_owners)  # leases outlive their holder: what A held
        a_held = {i for (i,) in pg_rows(pg_url, f"SELECT id FROM jobs WHERE lease_owner IN ({owners})")}
        in_flight = [
            j
            for j in every
            if httpx.get(f"{b.url}/v1/videos/{j['id']}", headers=H).json()["status"]
            in ("queued", "in_progress")
        ]

        # B finishes everything.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            states = [httpx.get(f"{b.url}/v1/videos/{j['id']}", headers=H).json() for j in every]
            if all(s["status"] in ("completed", "failed") for s in states):
                break
            time.sleep(0.25)
        assert [s["status"] for s in states] == ["completed"] * len(every), states

        # Downloads and deletes on B, of jobs A made (assets are shared).
        for j in (local[0], remote[0]):
            video = httpx.get(f"{b.url}/v1/videos/{j['id']}/content", headers=H)
            assert video.status_code == 200 and video.content[4:8] == b"ftyp", (j["id"], video.text)
        # (not a job A held: its attempts are checked below)
        doomed = next(j for j in local if j["id"].split(":")[0] not in held)
        assert httpx.delete(f"{b.url}/v1/videos/{doomed['id']}", headers=H).json()["deleted"]
        assert httpx.get(f"{b.url}/v1/videos/{doomed['id']}", headers=H).status_code == 404

        # Nothing submitted upstream twice; the render A was killed in was started again on B, and
        # no render A did not hold was.
        assert fake.creates == len(remote)
        attempts = dict(pg_rows(pg_url, "SELECT id, attempts FROM jobs WHERE provider = 'local'"))
        restarted = {job_id for job_id, n in attempts.items() if n > 1}
        assert set(held) <= restarted, (held, attempts)
        assert restarted <= a_held, (restarted, a_held)
        print(
            f"\ntwo instances: {len(in_flight)} of {len(every)} jobs in flight at kill -9; "
            f"{len(every)} completed on the survivor; upstream creates {fake.creates} for {len(remote)} "
            f"upstream jobs; A held {len(held)} render(s), restarted on B: {len(restarted)}"
        )
    finally:
        a.kill()
        b.stop()
