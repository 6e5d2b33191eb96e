"""Idempotency-Key: retries are safe, reuse with another body is refused, tenants are apart."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.conftest import KEY_ALPHA, KEY_BETA
from tests.support.listing import list_all

BODY = {"model": "local/default", "prompt": "idempotent boat", "seconds": 1, "size": "64x64"}


def post(server, key: str, idem: str, body: dict = BODY, path: str = "/v1/videos") -> httpx.Response:
    return httpx.post(
        f"{server.url}{path}",
        json=body,
        timeout=30,
        headers={"Authorization": f"Bearer {key}", "Idempotency-Key": idem},
    )


def test_same_key_same_body_is_the_same_job(server) -> None:
    first, again = post(server, KEY_ALPHA, "idem-1"), post(server, KEY_ALPHA, "idem-1")
    assert first.status_code == again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    other = post(server, KEY_ALPHA, "idem-2")
    assert other.json()["id"] != first.json()["id"]


def test_same_key_other_body_is_422_with_a_clear_message(server) -> None:
    assert post(server, KEY_ALPHA, "idem-3").status_code == 200
    r = post(server, KEY_ALPHA, "idem-3", {**BODY, "prompt": "something else"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "idempotency_key_reused"
    assert "different request" in r.json()["error"]["message"]


def test_keys_are_per_tenant(server) -> None:
    mine, theirs = post(server, KEY_ALPHA, "idem-shared"), post(server, KEY_BETA, "idem-shared")
    assert mine.status_code == theirs.status_code == 200
    assert mine.json()["id"] != theirs.json()["id"]


def test_concurrent_duplicates_make_exactly_one_job(server) -> None:
    body = {**BODY, "prompt": "idempotent race"}  # a prompt no other test uses
    with ThreadPoolExecutor(12) as pool:
        results = list(pool.map(lambda _: post(server, KEY_BETA, "idem-race", body), range(12)))
    assert {r.status_code for r in results} == {200}, [r.text for r in results if r.status_code != 200]
    assert len({r.json()["id"] for r in results}) == 1
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {KEY_BETA}"}) as c:
        listed = list_all(c, "local")
    assert [v["id"] for v in listed if v["prompt"] == body["prompt"]] == [results[0].json()["id"]]


def test_a_failed_request_frees_its_key(server) -> None:
    bad = post(server, KEY_ALPHA, "idem-4", {**BODY, "size": "65x64"})
    assert bad.status_code == 400
    good = post(server, KEY_ALPHA, "idem-4", {**BODY, "size": "64x64"})
    assert good.status_code == 200


def test_remix_takes_a_key_too(server) -> None:
    import time

    source = post(server, KEY_ALPHA, "idem-src").json()["id"]
    for _ in range(100):
        if (
            httpx.get(
                f"{server.url}/v1/videos/{source}", headers={"Authorization": f"Bearer {KEY_ALPHA}"}
            ).json()["status"]
            == "completed"
        ):
            break
        time.sleep(0.1)
    a = post(server, KEY_ALPHA, "idem-remix", {"prompt": "at night"}, f"/v1/videos/{source}/remix")
    b = post(server, KEY_ALPHA, "idem-remix", {"prompt": "at night"}, f"/v1/videos/{source}/remix")
    assert a.status_code == b.status_code == 200 and a.json()["id"] == b.json()["id"]
