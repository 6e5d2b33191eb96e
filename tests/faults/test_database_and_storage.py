"""The database goes away for a few seconds: 503 with Retry-After, then service resumes by itself.
The asset store becomes unwritable: the job fails with a clear reason, the server lives on."""

from __future__ import annotations

import asyncio
import shutil
import time
from pathlib import Path

import asyncpg
import httpx
import pytest

from tests.support.databases import PG_ADMIN_DSN
from tests.support.server import ServerProcess

KEY = "faults-key-000001"
H = {"Authorization": f"Bearer {KEY}"}


async def _admin(sql: str) -> None:
    conn = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.mark.slow
def test_database_outage_gives_503_then_recovers(pg_url: str, tmp_path: Path) -> None:
    name = pg_url.rsplit("/", 1)[1]
    server = ServerProcess(tmp_path, env={"VIDGATE_API_KEYS": KEY, "VIDGATE_DATABASE_URL": pg_url}).start()
    try:
        assert httpx.get(f"{server.url}/v1/videos?provider=local", headers=H).status_code == 200
        made = httpx.post(
            f"{server.url}/v1/videos",
            headers=H,
            json={"model": "local/default", "prompt": "before the outage", "seconds": 1, "size": "64x64"},
        ).json()["id"]
        lookup = f"{server.url}/v1/videos/{made}"
        assert httpx.get(lookup, headers=H).status_code == 200  # its point-read pool is open now
        # Outage: no new connections, and the open ones cut.
        asyncio.run(_admin(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false'))
        asyncio.run(
            _admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
        )
        during = [
            httpx.get(f"{server.url}/v1/videos?provider=local", headers=H, timeout=30) for _ in range(3)
        ]
        during += [httpx.get(lookup, headers=H, timeout=30) for _ in range(3)]
        during.append(
            httpx.post(
                f"{server.url}/v1/videos",
                headers=H,
                timeout=30,
                json={"model": "local/default", "prompt": "in the outage", "seconds": 1, "size": "64x64"},
            )
        )
        ready = httpx.get(f"{server.url}/ready", timeout=30)
        for response in [*during, ready]:
            assert response.status_code == 503, response.text
            assert (
                response.headers["retry-after"] and response.json()["error"]["code"] == "database_unavailable"
            )
        asyncio.run(_admin(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true'))
        deadline, codes = time.monotonic() + 15, []
        while time.monotonic() < deadline:
            codes.append(httpx.get(f"{server.url}/v1/videos?provider=local", headers=H).status_code)
            if codes[-1] == 200:
                break
            time.sleep(0.2)
        assert codes[-1] == 200, codes
        lookups = [httpx.get(lookup, headers=H, timeout=30).status_code for _ in range(3)]
        assert lookups[-1] == 200, lookups  # the lookups' own pool reconnects too
        job = httpx.post(
            f"{server.url}/v1/videos",
            headers=H,
            json={"model": "local/default", "prompt": "after the outage", "seconds": 1, "size": "64x64"},
        )
        assert job.status_code == 200
        print(
            f"\ndatabase outage: {len(during) + 1} requests during it, all 503 with Retry-After; "
            f"recovered after {len(codes)} tries"
        )
    finally:
        asyncio.run(_admin(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true'))
        server.stop()
    # Every request in the outage was answered as an outage: none became an unexpected 500.
    events = server.events()
    assert not [e for e in events if e["event"] == "unhandled_exception" or e.get("status") == 500]
    assert sum(e["event"] == "database_unavailable" for e in events) >= len(during)


def test_unwritable_asset_store_fails_the_job_with_a_reason(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path, env={"VIDGATE_API_KEYS": KEY}).start()
    staging = tmp_path / "assets" / ".staging"
    try:
        shutil.rmtree(staging)
        staging.write_text("not a directory")  # as good as a full or read-only disk, for a root process
        job = httpx.post(
            f"{server.url}/v1/videos",
            headers=H,
            json={"model": "local/default", "prompt": "nowhere to go", "seconds": 1, "size": "64x64"},
        ).json()
        for _ in range(100):
            state = httpx.get(f"{server.url}/v1/videos/{job['id']}", headers=H).json()
            if state["status"] == "failed":
                break
            time.sleep(0.1)
        assert state["status"] == "failed" and state["error"]["code"] == "storage_unavailable"
        assert "could not write" in state["error"]["message"]
        assert httpx.get(f"{server.url}/ready").status_code == 200  # the server lives on
        staging.unlink()
        staging.mkdir()
        again = httpx.post(
            f"{server.url}/v1/videos",
            headers=H,
            json={"model": "local/default", "prompt": "room again", "seconds": 1, "size": "64x64"},
        ).json()
        for _ in range(100):
            if httpx.get(f"{server.url}/v1/videos/{again['id']}", headers=H).json()["status"] == "completed":
                break
            time.sleep(0.1)
        assert httpx.get(f"{server.url}/v1/videos/{again['id']}", headers=H).json()["status"] == "completed"
    finally:
        server.stop()
