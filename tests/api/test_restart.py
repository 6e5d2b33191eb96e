"""A crash loses no job: SIGKILL the server mid-render, start it again, every job completes."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from tests.support.server import ServerProcess

KEY = "restart-test-key"


@pytest.mark.slow
def test_sigkill_mid_render_then_restart_completes_every_job(tmp_path: Path) -> None:
    env = {"VIDGATE_API_KEYS": KEY, "VIDGATE_LEASE_SECONDS": "2"}
    server = ServerProcess(tmp_path, env=env).start()
    headers = {"Authorization": f"Bearer {KEY}"}
    ids = []
    for i in range(8):
        body = {"model": "local/default", "prompt": f"crash test {i}", "seconds": 8, "size": "1280x720"}
        response = httpx.post(f"{server.url}/v1/videos", json=body, headers=headers)
        assert response.status_code == 200, response.text
        ids.append(response.json()["id"])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # wait until a render is under way, then pull the plug
        statuses = [httpx.get(f"{server.url}/v1/videos/{i}", headers=headers).json() for i in ids]
        if any(s["status"] == "in_progress" for s in statuses):  # (progress is written every 0.5 s)
            break
        time.sleep(0.05)
    server.kill()
    in_flight = [s["id"] for s in statuses if s["status"] in ("queued", "in_progress")]
    assert in_flight, "nothing was in flight at the kill"

    restarted = ServerProcess(tmp_path, env=env, port=server.port).start()
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            jobs = [httpx.get(f"{restarted.url}/v1/videos/{i}", headers=headers).json() for i in ids]
            if all(j["status"] in ("completed", "failed") for j in jobs):
                break
            time.sleep(0.25)
        assert [j["status"] for j in jobs] == ["completed"] * len(ids), jobs
        for i in ids:
            response = httpx.get(f"{restarted.url}/v1/videos/{i}/content", headers=headers)
            assert response.status_code == 200 and response.headers["content-type"] == "video/mp4"
        print(f"in flight at SIGKILL: {len(in_flight)} of {len(ids)}; completed after restart: {len(ids)}")
    finally:
        restarted.stop()
