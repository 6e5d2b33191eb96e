"""Assets in S3 (a loopback S3 server): served with ranges, deleted with the job, swept on expiry."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from tests.support.media import probe_mp4
from tests.support.server import ServerProcess

KEY = "vg-s3-test"
H = {"Authorization": f"Bearer {KEY}"}


def wait(url: str, video_id: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = httpx.get(f"{url}/v1/videos/{video_id}", headers=H).json()
        if job["status"] in ("completed", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(job)


def test_s3_assets_serve_ranges_remix_and_delete(s3, tmp_path: Path) -> None:
    bucket = s3.new_bucket()
    server = ServerProcess(tmp_path, env={"VIDGATE_API_KEYS": KEY, **s3.env(bucket)}).start()
    try:
        job = httpx.post(
            f"{server.url}/v1/videos",
            headers=H,
            json={"model": "local/default", "prompt": "to the bucket", "seconds": 2, "size": "320x180"},
        ).json()
        assert wait(server.url, job["id"])["status"] == "completed"
        job_id = job["id"].split(":")[0]
        assert sorted(s3.keys(bucket)) == [
            f"{job_id}/spritesheet.jpg",
            f"{job_id}/thumbnail.webp",
            f"{job_id}/video.mp4",
        ]
        assert not (tmp_path / "assets" / job_id).exists()  # nothing kept on the instance's disk

        full = httpx.get(f"{server.url}/v1/videos/{job['id']}/content", headers=H)
        assert full.status_code == 200 and full.headers["content-length"] == str(len(full.content))
        assert probe_mp4(full.content).frames == 48
        part = httpx.get(
            f"{server.url}/v1/videos/{job['id']}/content", headers={**H, "Range": "bytes=10-109"}
        )
        assert part.status_code == 206 and part.content == full.content[10:110]
        assert part.headers["content-range"] == f"bytes 10-109/{len(full.content)}"
        tail = httpx.get(f"{server.url}/v1/videos/{job['id']}/content", headers={**H, "Range": "bytes=-20"})
        assert tail.content == full.content[-20:]
        beyond = httpx.get(
            f"{server.url}/v1/videos/{job['id']}/content", headers={**H, "Range": "bytes=99999999-"}
        )
        assert beyond.status_code == 416 and beyond.headers["content-range"] == f"bytes */{len(full.content)}"
        assert beyond.json()["error"]["code"] == "range_not_satisfiable"

        remix = httpx.post(
            f"{server.url}/v1/videos/{job['id']}/remix", headers=H, json={"prompt": "from S3"}
        ).json()
        assert wait(server.url, remix["id"])["status"] == "completed"  # its source came from the bucket

        assert httpx.delete(f"{server.url}/v1/videos/{job['id']}", headers=H).json()["deleted"]
        assert not [k for k in s3.keys(bucket) if k.startswith(job_id)]
    finally:
        server.stop()


def test_expired_assets_are_swept_and_downloads_say_so(s3, tmp_path: Path) -> None:
    bucket = s3.new_bucket()
    env = {
        "VIDGATE_API_KEYS": KEY,
        "VIDGATE_RETENTION_SECONDS": "2",
        "VIDGATE_SWEEP_INTERVAL_SECONDS": "0.3",
        **s3.env(bucket),
    }
    server = ServerProcess(tmp_path, env=env).start()
    try:
        job = httpx.post(
            f"{server.url}/v1/videos",
            headers=H,
            json={"model": "local/default", "prompt": "short-lived", "seconds": 1, "size": "64x64"},
        ).json()
        done = wait(server.url, job["id"])
        assert done["expires_at"] - done["completed_at"] == 2
        assert httpx.get(f"{server.url}/v1/videos/{job['id']}/content", headers=H).status_code == 200
        deadline = time.monotonic() + 10
        while s3.keys(bucket) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert s3.keys(bucket) == []
        gone = httpx.get(f"{server.url}/v1/videos/{job['id']}/content", headers=H)
        assert gone.status_code == 404 and gone.json()["error"]["code"] == "video_expired"
        assert "expired" in gone.json()["error"]["message"]
        assert httpx.get(f"{server.url}/v1/videos/{job['id']}", headers=H).json()["status"] == "completed"
    finally:
        server.stop()
