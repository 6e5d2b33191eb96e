"""Oversized, deep, slow or abusive input: a clear BifrostError each, and the server stays healthy."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.support.server import ServerProcess

KEY = "limits-key-000001"
H = {"Authorization": f"Bearer {KEY}"}
VALID = {"model": "local/default", "prompt": "x", "seconds": 1, "size": "64x64"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    env = {
        "VIDGATE_API_KEYS": KEY,
        "VIDGATE_MAX_BODY_BYTES": "262144",
        "VIDGATE_BODY_TIMEOUT_SECONDS": "5",
        "VIDGATE_MAX_HEADER_BYTES": "16384",
    }
    proc = ServerProcess(tmp_path_factory.mktemp("limits"), env=env).start()
    yield proc
    proc.stop()


def refused(response: httpx.Response, status: int, code: str | None = None) -> None:
    assert response.status_code == status, response.text[:300]
    body = response.json()
    assert body["status_code"] == status and body["error"]["message"]
    if code:
        assert body["error"]["code"] == code


def healthy(server: ServerProcess) -> None:
    assert httpx.get(f"{server.url}/v1/videos?provider=local", headers=H, timeout=5).status_code == 200


def test_size_and_shape_limits(server: ServerProcess) -> None:
    cases = {
        "body over the limit": (
            lambda c: c.post("/v1/videos", headers=H, json={**VALID, "prompt": "x" * 300_000}),
            413,
        ),
        "prompt too long": (
            lambda c: c.post("/v1/videos", headers=H, json={**VALID, "prompt": "x" * 10_001}),
            400,
        ),
        "nested json": (
            lambda c: c.post(
                "/v1/videos", headers={**H, "content-type": "application/json"}, content=b"[" * 100_000
            ),
            400,
        ),
        "too many multipart parts": (
            lambda c: c.post("/v1/videos", headers=H, files=[("prompt", (None, "x"))] * 1200),
            400,
        ),
        "multipart field over 1 MB": (
            lambda c: c.post(
                "/v1/videos",
                headers={**H},
                files={"prompt": (None, "x" * 200_000), "model": (None, "local/default")},
            ),
            400,
        ),
        "headers too large": (
            lambda c: c.get("/v1/videos?provider=local", headers={**H, "X-Big": "a" * 20_000}),
            431,
        ),
        "limit too big": (
            lambda c: c.get("/v1/videos", headers=H, params={"provider": "local", "limit": 10**9}),
            400,
        ),
        "limit negative": (
            lambda c: c.get("/v1/videos", headers=H, params={"provider": "local", "limit": -1}),
            400,
        ),
        "after too long": (
            lambda c: c.get("/v1/videos", headers=H, params={"provider": "local", "after": "v" * 5000}),
            400,
        ),
        "after not an id": (
            lambda c: c.get("/v1/videos", headers=H, params={"provider": "local", "after": "a:B/../"}),
            400,
        ),
        "seed out of range": (lambda c: c.post("/v1/videos", headers=H, json={**VALID, "seed": 2**40}), 400),
        "too many fallbacks": (
            lambda c: c.post(
                "/v1/videos",
                headers=H,
                json={**VALID, "fallbacks": [{"provider": "local", "model": "default"}] * 6},
            ),
            400,
        ),
    }
    with httpx.Client(base_url=server.url, timeout=30) as client:
        for name, (call, status) in cases.items():
            response = call(client)
            assert response.status_code == status, (name, response.status_code, response.text[:200])
            assert response.headers["content-type"] == "application/json", name
            healthy(server)
    print(
        f"\nlimits: {len(cases)} kinds of abuse, each refused with a BifrostError; server healthy after each"
    )


def test_a_slow_client_is_cut_off_and_does_not_block_others(server: ServerProcess) -> None:
    result: dict[str, bytes] = {}

    def slowloris() -> None:
        s = socket.create_connection(("127.0.0.1", server.port))
        s.sendall(
            b"POST /v1/videos HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
            + KEY.encode()
            + b'\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"mo'
        )
        s.settimeout(15)
        answer = b""
        try:
            while chunk := s.recv(4096):  # headers and body may come in separate segments
                if not answer:
                    result["answered_at"] = time.monotonic()
                answer += chunk
                if b"request_timeout" in answer:
                    break
        finally:
            s.close()
            result["answer"] = answer

    thread = threading.Thread(target=slowloris)
    thread.start()
    time.sleep(0.2)
    for _ in range(3):  # others are served while it dawdles
        healthy(server)
    others_done = time.monotonic()
    thread.join(15)
    assert others_done < result["answered_at"], "the slow client held up the others"
    assert result["answer"].startswith(b"HTTP/1.1 408")
    assert b"request_timeout" in result["answer"]


@pytest.mark.parametrize(
    "video_id",
    [
        "..%2F..%2Fetc%2Fpasswd:local",
        "../../etc/passwd:local",
        "%00:local",
        "a%00b:local",
        "x" * 5000 + ":local",
        "v%C3%A9d%C3%A9o:local",
        "video_01JD3Z8Q7W6X5V4T3S2R1P0N9M:lo%2Fcal",
        "'; DROP TABLE jobs; --:local",
        "video_01JD3Z8Q7W6X5V4T3S2R1P0N9M:local%0d%0aX-Injected: 1",
    ],
)
def test_hostile_video_ids_never_reach_files_or_sql(server: ServerProcess, video_id: str) -> None:
    for path in (f"/v1/videos/{video_id}", f"/v1/videos/{video_id}/content"):
        r = httpx.get(f"{server.url}{path}", headers=H)
        assert r.status_code in (400, 404), (video_id, r.status_code)
        assert r.headers["content-type"] == "application/json" and "x-injected" not in r.headers
    healthy(server)
    assert Path(server.data_dir, "vidgate.db").exists()


def test_download_headers_nosniff_and_no_banner_and_cors_off(server: ServerProcess) -> None:
    job = httpx.post(f"{server.url}/v1/videos", headers=H, json=VALID).json()
    for _ in range(100):
        if httpx.get(f"{server.url}/v1/videos/{job['id']}", headers=H).json()["status"] == "completed":
            break
        time.sleep(0.1)
    video = httpx.get(
        f"{server.url}/v1/videos/{job['id']}/content", headers={**H, "Origin": "https://evil.example"}
    )
    assert video.headers["x-content-type-options"] == "nosniff" and "server" not in video.headers
    assert "access-control-allow-origin" not in video.headers
    preflight = httpx.options(
        f"{server.url}/v1/videos",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_when_configured(tmp_path: Path) -> None:
    proc = ServerProcess(
        tmp_path, env={"VIDGATE_API_KEYS": KEY, "VIDGATE_CORS_ORIGINS": "https://studio.example"}
    ).start()
    try:
        ok = httpx.options(
            f"{proc.url}/v1/videos",
            headers={
                "Origin": "https://studio.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,content-type",
            },
        )
        assert ok.headers["access-control-allow-origin"] == "https://studio.example"
        other = httpx.get(
            f"{proc.url}/v1/videos?provider=local", headers={**H, "Origin": "https://evil.example"}
        )
        assert "access-control-allow-origin" not in other.headers
    finally:
        proc.stop()
