"""Every refusal is a BifrostError with the right status and a message a person can act on."""

from __future__ import annotations

import base64

import httpx
import pytest

from tests.conftest import KEY_ALPHA, KEY_BETA

VALID = {"model": "local/default", "prompt": "a kite", "seconds": 1, "size": "64x64"}


@pytest.fixture
def http(server):
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


def auth(key: str = KEY_ALPHA) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def assert_bifrost(response: httpx.Response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["status_code"] == status and body["error"]["message"]
    assert "Traceback" not in response.text
    if code:
        assert body["error"]["code"] == code, body
    return body


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": f"Bearer {KEY_ALPHA}"},
        {"x-api-key": KEY_ALPHA},
        {"x-bf-vk": KEY_ALPHA},
        {"Authorization": "Basic " + base64.b64encode(f"anyone:{KEY_ALPHA}".encode()).decode()},
    ],
    ids=["bearer", "x-api-key", "x-bf-vk", "basic"],
)
def test_all_four_schemes_carry_the_key(http: httpx.Client, headers: dict[str, str]) -> None:
    assert http.get("/v1/videos", params={"provider": "local"}, headers=headers).status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": "Bearer"},
        {"Authorization": "Token " + KEY_ALPHA},
        {"Authorization": "Basic !!notbase64"},
        {"x-api-key": "wrong"},
        {"x-bf-vk": ""},
    ],
    ids=["none", "wrong-bearer", "empty-bearer", "other-scheme", "bad-basic", "wrong-api-key", "empty-vk"],
)
def test_missing_or_wrong_credentials_are_401_everywhere(http: httpx.Client, headers: dict[str, str]) -> None:
    for method, path in [
        ("POST", "/v1/videos"),
        ("GET", "/v1/videos?provider=local"),
        ("GET", "/v1/videos/video_01JD3Z8Q7W6X5V4T3S2R1P0N9M:local"),
        ("DELETE", "/v1/videos/video_01JD3Z8Q7W6X5V4T3S2R1P0N9M:local"),
        ("GET", "/v1/videos/video_01JD3Z8Q7W6X5V4T3S2R1P0N9M:local/content"),
        ("POST", "/v1/videos/video_01JD3Z8Q7W6X5V4T3S2R1P0N9M:local/remix"),
    ]:
        response = http.request(method, path, headers=headers, json={"prompt": "x", "model": "local/default"})
        body = assert_bifrost(response, 401, "invalid_api_key")
        assert "x-api-key" in body["error"]["message"]
        assert response.headers["www-authenticate"].startswith("Bearer")


def test_video_id_errors(http: httpx.Client) -> None:
    body = assert_bifrost(http.get("/v1/videos/abc", headers=auth()), 400, "invalid_video_id")
    assert body["error"]["message"].startswith("video_id must be in id:provider format")
    body = assert_bifrost(http.get("/v1/videos/abc:nosuch", headers=auth()), 400, "unknown_provider")
    assert "available: local" in body["error"]["message"]
    assert_bifrost(
        http.get("/v1/videos/video_01JD3Z8Q7W6X5V4T3S2R1P0N9M:local", headers=auth()), 404, "video_not_found"
    )
    # hostile ids never reach the filesystem or SQL as anything but a lookup that finds nothing
    for hostile in ["..%2F..%2Fetc%2Fpasswd:local", "%00:local", "x" * 3000 + ":local", "v%C3%A9deo:local"]:
        response = http.get(f"/v1/videos/{hostile}/content", headers=auth())
        assert response.status_code in (400, 404), (hostile, response.status_code)


def test_body_validation_messages_name_the_problem(http: httpx.Client) -> None:
    body = assert_bifrost(http.post("/v1/videos", headers=auth(), json={"model": "local/default"}), 400)
    assert "'prompt' is a required property" in body["error"]["message"]
    body = assert_bifrost(http.post("/v1/videos", headers=auth(), json={**VALID, "seconds": 61}), 400)
    assert "61" in body["error"]["message"] and "Failed validating" not in body["error"]["message"]
    body = assert_bifrost(http.post("/v1/videos", headers=auth(), json={**VALID, "secs": 4}), 400)
    assert "secs" in body["error"]["message"]
    body = assert_bifrost(
        http.post("/v1/videos", headers=auth(), json={**VALID, "size": "1281x720"}), 400, "invalid_size"
    )
    assert "even" in body["error"]["message"] and "1280x720" in body["error"]["message"]
    body = assert_bifrost(
        http.post("/v1/videos", headers=auth(), json={**VALID, "model": "vertex/veo-3.1-generate-001"}), 400
    )
    assert body["error"]["code"] == "provider_not_configured" and body["error"]["param"] == "model"
    assert "VIDGATE_PROVIDERS__VERTEX__API_KEY" in body["error"]["message"]
    body = assert_bifrost(http.post("/v1/videos", headers=auth(), json={**VALID, "model": "nosuch/x"}), 400)
    assert body["error"]["code"] == "unknown_provider"
    body = assert_bifrost(http.post("/v1/videos", headers=auth(), json={**VALID, "model": "local/nope"}), 400)
    assert "local/default" in body["error"]["message"]
    body = assert_bifrost(
        http.post("/v1/videos", headers=auth(), json={**VALID, "input_reference": "https://x/y.png"}), 400
    )
    assert body["error"]["param"] == "input_reference"


def test_malformed_bodies_are_400_never_500(http: httpx.Client) -> None:
    headers = {**auth(), "Content-Type": "application/json"}
    assert_bifrost(http.post("/v1/videos", headers=headers, content=b"\xff\xfe"), 400, "invalid_json")
    assert_bifrost(http.post("/v1/videos", headers=headers, content=b"{not json"), 400)
    assert_bifrost(http.post("/v1/videos", headers=headers, content=b"[]"), 400)
    assert_bifrost(http.post("/v1/videos", headers=headers, content=b""), 400)
    body = assert_bifrost(
        http.post("/v1/videos", headers={**auth(), "Content-Type": "text/plain"}, content=b"hi"), 415
    )
    assert "application/json" in body["error"]["message"] and "Content-Type" in body["error"]["message"]


def test_oversized_bodies_are_413_by_length_or_by_chunks(http: httpx.Client) -> None:
    big = {**VALID, "prompt": "x" * 70_000}
    body = assert_bifrost(http.post("/v1/videos", headers=auth(), json=big), 413, "payload_too_large")
    assert "65536" in body["error"]["message"]

    def chunks(total: int):
        for _ in range(total // 1000):
            yield b" " * 1000

    assert_bifrost(
        http.post(
            "/v1/videos", headers={**auth(), "Content-Type": "application/json"}, content=chunks(80_000)
        ),
        413,
    )
    # a chunked body within the limit is served (Connexion alone would take it for no body)
    import json

    ok = http.post(
        "/v1/videos",
        headers={**auth(), "Content-Type": "application/json"},
        content=iter([json.dumps(VALID).encode()]),
    )
    assert ok.status_code == 200, ok.text
    assert http.get("/health").status_code == 200


def test_unknown_routes_and_methods(http: httpx.Client) -> None:
    assert_bifrost(http.get("/v1/nothing", headers=auth()), 404, "route_not_found")
    response = http.patch("/v1/videos/abc:local", headers=auth())
    assert_bifrost(response, 405, "method_not_allowed")
    assert response.headers["allow"] == "GET, DELETE, HEAD"
    assert http.put("/v1/videos", headers=auth()).headers["allow"] == "GET, POST, HEAD"
    assert http.get("/v1/videos/abc:local/remix", headers=auth()).headers["allow"] == "POST"


def test_list_parameter_errors(http: httpx.Client) -> None:
    assert_bifrost(http.get("/v1/videos", headers=auth()), 400)
    assert_bifrost(http.get("/v1/videos", params={"provider": "local", "limit": 0}, headers=auth()), 400)
    assert_bifrost(http.get("/v1/videos", params={"provider": "local", "limit": 101}, headers=auth()), 400)
    assert_bifrost(
        http.get("/v1/videos", params={"provider": "local", "order": "sideways"}, headers=auth()), 400
    )
    assert_bifrost(
        http.get("/v1/videos", params={"provider": "nosuch"}, headers=auth()), 400, "unknown_provider"
    )
    assert_bifrost(http.get("/v1/videos", params={"provider": "local", "after": "a:"}, headers=auth()), 400)


def test_responses_carry_nosniff_and_no_server_banner(http: httpx.Client) -> None:
    for response in (
        http.get("/health"),
        http.get("/v1/nothing"),
        http.get("/v1/videos?provider=local", headers=auth()),
    ):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "server" not in response.headers


def test_keys_never_reach_the_log(server, http: httpx.Client) -> None:
    http.get(
        "/v1/videos", params={"provider": "local"}, headers={"Authorization": "Bearer not-a-real-key-123"}
    )
    http.get("/v1/videos", params={"provider": "local"}, headers=auth())
    log = server.log()
    for secret in (KEY_ALPHA, KEY_BETA, "not-a-real-key-123"):
        assert secret not in log


def test_create_takes_multipart_and_string_seconds_like_openai_clients(http: httpx.Client) -> None:
    form = {
        "model": "local/default",
        "prompt": "a form-made boat",
        "seconds": "2",
        "size": "128x72",
        "seed": "5",
    }
    r = http.post("/v1/videos", headers=auth(), files={k: (None, v) for k, v in form.items()})
    assert r.status_code == 200, r.text
    assert r.json()["seconds"] == 2
    as_json = http.post("/v1/videos", headers=auth(), json={**VALID, "seconds": "3"})
    assert as_json.status_code == 200 and as_json.json()["seconds"] == 3
    bad = http.post("/v1/videos", headers=auth(), json={**VALID, "seconds": "61"})
    assert bad.status_code == 400


@pytest.mark.parametrize(
    ("content_type", "payload"),
    [
        (
            "multipart/form-data; boundary=475f",
            b"--475f\r\n[None, None]--475f--\r\n",
        ),  # found by schemathesis
        ("multipart/form-data", b"garbage"),  # no boundary
    ],
)
def test_malformed_multipart_is_400(http: httpx.Client, content_type: str, payload: bytes) -> None:
    r = http.post("/v1/videos", headers={**auth(), "Content-Type": content_type}, content=payload)
    assert_bifrost(r, 400, "invalid_multipart")


def test_deeply_nested_json_is_400(http: httpx.Client) -> None:
    r = http.post("/v1/videos", headers={**auth(), "Content-Type": "application/json"}, content=b"[" * 30000)
    assert r.status_code == 400
