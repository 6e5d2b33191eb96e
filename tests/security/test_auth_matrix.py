"""Every secured operation x every way of getting credentials wrong x all four schemes."""

from __future__ import annotations

import base64
import itertools
import json
import subprocess
import sys
import time

import httpx
import pytest

from tests.support.server import ServerProcess

OWNER, OTHER = "matrix-owner-key-0001", "matrix-other-key-0002"
SCHEMES = {
    "bearer": lambda k: {"Authorization": f"Bearer {k}"},
    "x-api-key": lambda k: {"x-api-key": k},
    "x-bf-vk": lambda k: {"x-bf-vk": k},
    "basic": lambda k: {"Authorization": "Basic " + base64.b64encode(f"user:{k}".encode()).decode()},
}
MALFORMED = [
    {"Authorization": "Bearer"},
    {"Authorization": "Bearer two words"},
    {"Authorization": "Basic %%%not-base64"},
    {"Authorization": "Basic " + base64.b64encode(b"no-colon").decode()},
    {"Authorization": "Digest abc"},
    {"x-api-key": ""},
    {"x-api-key": "x" * 600},
]

ADMIN = "vg-matrix-admin-key-0001"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    data = tmp_path_factory.mktemp("matrix")
    config = data / "vidgate.yaml"
    config.write_text(f"tenants:\n  owner: [{OWNER}]\n  other: [{OTHER}]\n")
    server = ServerProcess(data, env={"VIDGATE_CONFIG": str(config), "VIDGATE_ADMIN_KEYS": ADMIN}).start()
    env = {"VIDGATE_URL": server.url, "VIDGATE_ADMIN_KEY": ADMIN}  # the operator's shell
    revoked = json.loads(
        subprocess.run(
            [sys.executable, "-m", "vidgate.cli", "keys", "create", "--tenant", "owner", "--json"],
            env={**_clean_env(), **env},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    subprocess.run(
        [sys.executable, "-m", "vidgate.cli", "keys", "revoke", revoked["id"]],
        env={**_clean_env(), **env},
        capture_output=True,
        check=True,
    )
    time.sleep(1.1)  # a revocation reaches every instance within a second (the key cache)
    h = SCHEMES["bearer"](OWNER)
    job = httpx.post(
        f"{server.url}/v1/videos",
        headers=h,
        json={"model": "local/default", "prompt": "secret scene", "seconds": 1, "size": "64x64"},
    ).json()
    for _ in range(100):
        if httpx.get(f"{server.url}/v1/videos/{job['id']}", headers=h).json()["status"] == "completed":
            break
        time.sleep(0.1)
    yield server, job["id"], revoked["key"]
    server.stop()


def _clean_env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("VIDGATE_")}


def operations(video_id: str) -> list[tuple[str, str, dict | None]]:
    return [
        ("POST", "/v1/videos", {"model": "local/default", "prompt": "x"}),
        ("GET", "/v1/videos?provider=local", None),
        ("GET", f"/v1/videos/{video_id}", None),
        ("DELETE", f"/v1/videos/{video_id}", None),
        ("GET", f"/v1/videos/{video_id}/content", None),
        ("POST", f"/v1/videos/{video_id}/remix", {"prompt": "x"}),
        ("GET", "/v1/usage", None),
        ("POST", "/openai/v1/videos", {"prompt": "x"}),
        ("GET", "/openai/v1/videos", None),
        ("GET", f"/openai/v1/videos/{video_id}", None),
        ("DELETE", f"/openai/v1/videos/{video_id}", None),
        ("GET", f"/openai/v1/videos/{video_id}/content", None),
        ("POST", f"/openai/v1/videos/{video_id}/remix", {"prompt": "x"}),
        ("POST", "/openai/v1/videos/edits", None),
        ("POST", "/openai/v1/videos/extensions", None),
    ]


def test_every_operation_refuses_every_bad_credential(world) -> None:
    server, video_id, revoked_key = world
    cases = 0
    with httpx.Client(base_url=server.url) as http:
        for (method, path, body), (scheme, make) in itertools.product(operations(video_id), SCHEMES.items()):
            for label, headers in [
                ("none", {}),
                ("wrong", make("wrong-key-123456")),
                ("revoked", make(revoked_key)),
            ]:
                r = http.request(method, path, headers=headers, json=body)
                cases += 1
                assert r.status_code == 401, (method, path, scheme, label, r.status_code)
                assert r.json()["error"]["code"] == "invalid_api_key"
                assert "secret scene" not in r.text
        for (method, path, body), headers in itertools.product(operations(video_id), MALFORMED):
            r = http.request(method, path, headers=headers, json=body)
            cases += 1
            assert r.status_code == 401, (method, path, headers, r.status_code)
    print(f"\nauth matrix: {cases} requests, every one 401")


def test_another_tenants_key_sees_404_never_the_job(world) -> None:
    server, video_id, _ = world
    cases = 0
    with httpx.Client(base_url=server.url) as http:
        for scheme, make in SCHEMES.items():
            headers = make(OTHER)
            for method, path, body in operations(video_id):
                if video_id not in path:
                    continue
                r = http.request(method, path, headers=headers, json=body)
                cases += 1
                assert r.status_code == 404, (method, path, scheme, r.status_code)
                assert "secret scene" not in r.text
            for path in ("/v1/videos?provider=local&limit=100", "/openai/v1/videos?limit=100"):
                listed = http.get(path, headers=headers).json()
                cases += 1
                assert video_id not in json.dumps(listed)
        owner = http.get(f"/v1/videos/{video_id}", headers=SCHEMES["x-bf-vk"](OWNER))
        assert owner.status_code == 200 and owner.json()["prompt"] == "secret scene"  # still there
    print(f"\ncross-tenant: {cases} requests, every one 404 or absent from lists")
