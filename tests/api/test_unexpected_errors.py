"""An unexpected failure is a 500 BifrostError with an event_id; the trace goes to the log only."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx

from tests.support.server import ServerProcess


def test_broken_database_gives_500_with_event_id_and_trace_in_log(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path, env={"VIDGATE_API_KEYS": "k-500"}).start()
    try:
        with sqlite3.connect(tmp_path / "vidgate.db") as db:  # break it under the running server
            db.execute("DROP TABLE jobs")
        response = httpx.get(
            f"{server.url}/v1/videos/video_01JD3Z8Q7W6X5V4T3S2R1P0N9M:local",
            headers={"Authorization": "Bearer k-500"},
        )
        assert response.status_code == 500
        assert response.headers["content-type"] == "application/json"
        body = response.json()
        event_id = body["event_id"]
        assert event_id.startswith("evt_") and body["error"]["event_id"] == event_id
        assert event_id in body["error"]["message"]
        assert "Traceback" not in response.text and "jobs" not in response.text
        assert httpx.get(f"{server.url}/health").status_code == 200  # the server lives on
    finally:
        server.stop()
    log = server.log()
    assert event_id in log and "Traceback" in log and "no such table" in log
