"""What operators get: readiness, metrics, request ids in logs, docs, quotas and usage."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from tests.conftest import KEY_ALPHA, KEY_ALPHA_2, KEY_BETA
from tests.support.server import ServerProcess

H = {"Authorization": f"Bearer {KEY_ALPHA}"}


def test_ready_and_health(server) -> None:
    assert httpx.get(f"{server.url}/ready").json() == {"status": "ready"}
    assert httpx.get(f"{server.url}/health").json() == {"status": "ok"}


def test_metrics_count_requests_by_route_and_hold_no_secrets(server) -> None:
    httpx.get(f"{server.url}/v1/videos/video_01JD3Z8Q7W6X5V4T3S2R1P0N9M:local", headers=H)
    httpx.post(
        f"{server.url}/v1/videos",
        headers=H,
        json={"model": "local/default", "prompt": "metric me", "seconds": 1, "size": "64x64"},
    )
    text = httpx.get(f"{server.url}/metrics").text
    assert 'vidgate_http_requests_total{method="GET",route="/v1/videos/{video_id}",status="404"}' in text
    assert 'vidgate_http_request_duration_seconds_bucket{le="0.005",method="POST",route="/v1/videos"}' in text
    assert 'vidgate_jobs{provider="local",status=' in text and "vidgate_queue_depth" in text
    for secret in (KEY_ALPHA, KEY_BETA, "metric me", "video_01JD3Z8Q7W6X5V4T3S2R1P0N9M"):
        assert secret not in text


def test_request_id_is_accepted_echoed_and_logged(server) -> None:
    mine = httpx.get(f"{server.url}/v1/videos?provider=local", headers={**H, "X-Request-ID": "trace-abc.123"})
    assert mine.headers["x-request-id"] == "trace-abc.123"
    made = httpx.get(f"{server.url}/v1/nothing", headers={**H, "X-Request-ID": "bad id with spaces"})
    assert len(made.headers["x-request-id"]) == 32 and made.headers["x-request-id"] != "bad id with spaces"
    lines = server.events()
    access = next(e for e in lines if e.get("request_id") == "trace-abc.123" and e["event"] == "request")
    assert access["route"] == "/v1/videos" and access["status"] == 200 and access["key_id"].startswith("key_")
    assert KEY_ALPHA not in server.log()


def test_docs_and_spec_are_served(server) -> None:
    docs = httpx.get(f"{server.url}/docs/")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    spec = httpx.get(f"{server.url}/openapi.json").json()
    assert (
        spec["openapi"] == "3.0.3" and "/v1/videos" in spec["paths"] and "/openai/v1/videos" in spec["paths"]
    )


def test_usage_books_seconds_per_key_provider_and_model(server) -> None:
    h2 = {"Authorization": f"Bearer {KEY_ALPHA_2}"}
    for _ in range(200):  # the module's server is shared: the tenant's earlier jobs book their seconds first
        listed = httpx.get(f"{server.url}/v1/videos?provider=local&limit=100", headers=h2).json()["data"]
        if not any(v["status"] in ("queued", "in_progress") for v in listed):
            break
        time.sleep(0.1)
    before = httpx.get(f"{server.url}/v1/usage", headers=h2).json()
    job = httpx.post(
        f"{server.url}/v1/videos",
        headers=h2,
        json={"model": "local/testcard", "prompt": "billable", "seconds": 3, "size": "64x64"},
    ).json()
    for _ in range(100):
        if httpx.get(f"{server.url}/v1/videos/{job['id']}", headers=h2).json()["status"] == "completed":
            break
        time.sleep(0.1)
    httpx.delete(f"{server.url}/v1/videos/{job['id']}", headers=h2)  # the ledger outlives the job
    after = httpx.get(f"{server.url}/v1/usage", headers=h2).json()
    assert after["total_seconds"] == before["total_seconds"] + 3
    old = {(r["key_id"], r["provider"], r["model"]): r["seconds"] for r in before["data"]}
    grown = [r for r in after["data"] if r["seconds"] != old.get((r["key_id"], r["provider"], r["model"]), 0)]
    assert len(grown) == 1 and grown[0]["provider"] == "local" and grown[0]["model"] == "testcard"
    assert grown[0]["key_id"].startswith("key_")
    beta = httpx.get(f"{server.url}/v1/usage", headers={"Authorization": f"Bearer {KEY_BETA}"}).json()
    assert all(r.get("model") != "testcard" for r in beta["data"])  # another tenant sees none of it


def test_requests_per_minute_quota_gives_429_with_retry_after(tmp_path: Path) -> None:
    server = ServerProcess(
        tmp_path, env={"VIDGATE_API_KEYS": "rpm-a,rpm-b", "VIDGATE_RATE_LIMIT_PER_MINUTE": "3"}
    ).start()
    try:
        # lookups count like everything else (the shortcut leaves a rate-limited key to Connexion)
        lookup = f"{server.url}/v1/videos/video_01JD3Z8Q7W6X5V4T3S2R1P0N9M:local"
        codes = [
            httpx.get(url, headers={"x-api-key": "rpm-a"}).status_code
            for url in (f"{server.url}/v1/videos?provider=local", lookup, lookup, lookup)
        ]
        assert codes == [200, 404, 404, 429]
        limited = httpx.get(f"{server.url}/v1/videos?provider=local", headers={"x-api-key": "rpm-a"})
        assert limited.json()["error"]["code"] == "rate_limited" and int(limited.headers["retry-after"]) >= 1
        # per key: the other key is untouched
        assert (
            httpx.get(f"{server.url}/v1/videos?provider=local", headers={"x-api-key": "rpm-b"}).status_code
            == 200
        )
    finally:
        server.stop()
