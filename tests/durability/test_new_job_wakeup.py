"""On PostgreSQL a job created in one process wakes the worker of another at once (LISTEN/NOTIFY
from the jobs table's trigger), rather than at that worker's next claim poll; a listener that
loses its connection listens again."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import asyncpg
import httpx
import pytest

from tests.support.server import ServerProcess
from tests.unit.test_store import job
from vidgate.store import JobStore, NewJobListener, migrate, new_jobs, open_engine

KEY = "vg-wakeup-test-key"
H = {"Authorization": f"Bearer {KEY}"}


async def _noticed(notices: asyncio.Queue[float], within: float) -> bool:
    try:
        await asyncio.wait_for(notices.get(), within)
    except TimeoutError:
        return False
    return True


def test_inserts_a_worker_can_claim_are_announced_and_others_are_not(pg_url: str, monkeypatch) -> None:
    monkeypatch.setattr(new_jobs, "RECONNECT_SECONDS", 0.1)

    async def main() -> None:
        engine = open_engine(pg_url)
        await migrate(engine)
        store = JobStore(engine)
        notices: asyncio.Queue[float] = asyncio.Queue()
        listener = NewJobListener.for_engine(engine, lambda: notices.put_nowait(time.monotonic()))
        assert listener is not None
        listener.start()
        try:
            await asyncio.wait_for(listener.connected.wait(), 10)
            assert await _noticed(notices, 1)  # on connecting: whatever came while nobody listened
            await store.insert(job())
            assert await _noticed(notices, 5), "a job ready to run was not announced"
            # held by its submitter while it calls upstream: no worker could claim it yet
            await store.insert(job(provider="openai"), lease_owner="submitter", lease_seconds=30)
            assert not await _noticed(notices, 0.5), "a held job was announced"

            # The database drops the listening connection: it listens again, and hears the next.
            async with asyncpg.create_pool(pg_url.replace("+asyncpg", ""), min_size=1, max_size=1) as admin:
                dropped = await admin.fetchval(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND query LIKE 'LISTEN%'"
                )
            assert dropped == 1
            assert await _noticed(notices, 10), "the listener did not connect again"
            await store.insert(job())
            assert await _noticed(notices, 5), "a job created after the reconnect was not announced"
        finally:
            await listener.stop()
            await store.close()

    asyncio.run(main())


def test_sqlite_has_no_listener(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite+aiosqlite:///{tmp_path / 'store.db'}")
    assert NewJobListener.for_engine(engine, lambda: None) is None
    asyncio.run(engine.dispose())


@pytest.mark.slow
def test_a_worker_process_starts_a_job_created_elsewhere_at_once(pg_url: str, tmp_path: Path) -> None:
    """A worker polling for claims only every 60 s still renders a job another process created
    within seconds: the notice wakes it."""
    env = {"VIDGATE_API_KEYS": KEY, "VIDGATE_DATABASE_URL": pg_url, "VIDGATE_POLL_INTERVAL_SECONDS": "60"}
    api = ServerProcess(tmp_path / "api", env, host="127.0.0.2", args=("--role", "api", "--workers", "1"))
    worker = ServerProcess(tmp_path / "worker", env, host="127.0.0.3", args=("--role", "worker"))
    try:
        api.start(timeout=60)
        worker.start(timeout=60)
        time.sleep(1)  # past the worker's first claim at start: from here on only a notice wakes it
        body = {"model": "local/testcard", "prompt": "wake up", "seconds": 1, "size": "64x64"}
        created = httpx.post(f"{api.url}/v1/videos", headers=H, json=body, timeout=30)
        assert created.status_code == 200, created.text
        started, status = time.monotonic(), "queued"
        while status not in ("completed", "failed") and time.monotonic() - started < 20:
            time.sleep(0.1)
            got = httpx.get(f"{api.url}/v1/videos/{created.json()['id']}", headers=H, timeout=10)
            status = got.json()["status"]
        assert status == "completed", f"still {status} after 20 s:\n{worker.log()[-2000:]}"
        print(f"\ncreated on the API process, completed by the worker in {time.monotonic() - started:.2f} s")
    finally:
        api.kill()
        worker.kill()
