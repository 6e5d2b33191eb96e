"""Downloads stream from disk with Content-Length, ETag and Range, as players and resumers need."""

from __future__ import annotations

import time

import httpx
import pytest

from tests.conftest import KEY_ALPHA


@pytest.fixture(scope="module")
def finished(server) -> tuple[str, bytes]:
    headers = {"Authorization": f"Bearer {KEY_ALPHA}"}
    body = {"model": "local/testcard", "prompt": "range test", "seconds": 2, "size": "320x240"}
    video_id = httpx.post(f"{server.url}/v1/videos", json=body, headers=headers).json()["id"]
    for _ in range(200):
        if httpx.get(f"{server.url}/v1/videos/{video_id}", headers=headers).json()["status"] == "completed":
            break
        time.sleep(0.1)
    full = httpx.get(f"{server.url}/v1/videos/{video_id}/content", headers=headers)
    assert full.status_code == 200
    return video_id, full.content


@pytest.fixture
def http(server):
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {KEY_ALPHA}"}) as c:
        yield c


def test_full_download_headers(http: httpx.Client, finished: tuple[str, bytes]) -> None:
    video_id, data = finished
    response = http.get(f"/v1/videos/{video_id}/content")
    assert response.headers["content-length"] == str(len(data))
    assert response.headers["accept-ranges"] == "bytes"
    assert response.headers["etag"].startswith('"') and len(response.headers["etag"]) > 10
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-disposition"].startswith("inline; filename=")
    assert response.content[4:8] == b"ftyp"  # an MP4 container


def test_range_requests_return_206_with_exact_bytes(http: httpx.Client, finished: tuple[str, bytes]) -> None:
    video_id, data = finished
    part = http.get(f"/v1/videos/{video_id}/content", headers={"Range": "bytes=100-199"})
    assert part.status_code == 206
    assert part.content == data[100:200]
    assert part.headers["content-range"] == f"bytes 100-199/{len(data)}"
    tail = http.get(f"/v1/videos/{video_id}/content", headers={"Range": "bytes=-50"})
    assert tail.status_code == 206 and tail.content == data[-50:]
    beyond = http.get(f"/v1/videos/{video_id}/content", headers={"Range": f"bytes={len(data) + 10}-"})
    assert beyond.status_code == 416


def test_head_answers_headers_only(http: httpx.Client, finished: tuple[str, bytes]) -> None:
    video_id, data = finished
    head = http.head(f"/v1/videos/{video_id}/content")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(data))


def test_etag_is_stable_and_differs_per_variant(http: httpx.Client, finished: tuple[str, bytes]) -> None:
    video_id, _ = finished
    tags = [
        http.get(f"/v1/videos/{video_id}/content", params={"variant": v}).headers["etag"]
        for v in ("video", "video", "thumbnail", "spritesheet")
    ]
    assert tags[0] == tags[1] and len(set(tags)) == 3
