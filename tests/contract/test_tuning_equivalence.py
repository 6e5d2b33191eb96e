"""The speed work changes speed, not behaviour: one corpus of requests (valid ones and every kind
of error) sent to a gateway with the library tuning and the shortcut and to one without
(VIDGATE_LIBRARY_TUNING=false: Connexion as it ships, SQLAlchemy's aiosqlite with its thread;
VIDGATE_SHORTCUTS=false: every lookup through Connexion) gets the same answers: status, headers
and body, the body's JSON and its raw text alike, once the values that differ by nature (ids,
timestamps, latency, event ids, request ids) are normalised."""

from __future__ import annotations

import base64
import json
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.server import ServerProcess

KEY, OTHER = "vg-equivalence-key-1", "vg-equivalence-key-2"
H = {"Authorization": f"Bearer {KEY}"}
VOLATILE = {"latency", "created_at", "completed_at", "expires_at", "event_id"}
ID = re.compile(r"video_[0-9A-HJKMNP-TV-Z]{26}|evt_[0-9a-f]{32}")
HOST = re.compile(r"http://127\.0\.0\.1:\d+")
# Headers whose values differ by nature; their presence is still compared.
VOLATILE_HEADERS = {"date", "x-request-id", "content-length", "etag", "last-modified"}


def normalise(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, dict):
        return {k: ("<volatile>" if k in VOLATILE else normalise(v, names)) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(v, names) for v in value]
    if isinstance(value, str):
        value = HOST.sub("<gateway>", value)
        return ID.sub(lambda m: names.setdefault(m.group(0), f"<id{len(names)}>"), value)
    return value


def answer(r: httpx.Response, names: dict[str, str]) -> tuple[Any, ...]:
    kind = r.headers.get("content-type", "")
    if kind.startswith("application/json") and r.content:
        body = normalise(r.json(), names)
    else:
        body = (len(r.content), r.headers.get("content-range"))
    headers = sorted(
        (k, "<volatile>" if k in VOLATILE_HEADERS else normalise(v, names))
        for k, v in r.headers.multi_items()
    )
    raw = None  # how the JSON was written (separators, key order, trailing newline), digits aside
    if kind.startswith("application/json"):
        raw = re.sub(r"\d+", "0", ID.sub("<id>", HOST.sub("<gateway>", r.text)))
    return (r.status_code, kind, headers, raw, body)


def corpus(c: httpx.Client) -> list[tuple[str, httpx.Response]]:
    """Every request in order; later ones use ids the earlier ones returned."""
    out: list[tuple[str, httpx.Response]] = []

    def send(name: str, method: str, path: str, **kw: Any) -> httpx.Response:
        r = c.request(method, path, **kw)
        out.append((name, r))
        return r

    basic = base64.b64encode(f"x:{KEY}".encode()).decode()
    send("health", "GET", "/health")
    send("empty list", "GET", "/v1/videos", params={"provider": "local"}, headers=H)
    body = {"model": "local/default", "prompt": "equivalence", "seconds": 1, "size": "64x64", "seed": 7}
    made = send("create", "POST", "/v1/videos", json=body, headers=H).json()
    video = made["id"]
    deadline = time.monotonic() + 60
    while c.get(f"/v1/videos/{video}", headers=H).json()["status"] != "completed":
        assert time.monotonic() < deadline
        time.sleep(0.1)
    send("retrieve", "GET", f"/v1/videos/{video}", headers=H)
    send("basic auth", "GET", f"/v1/videos/{video}", headers={"Authorization": f"Basic {basic}"})
    send("x-api-key", "GET", f"/v1/videos/{video}", headers={"x-api-key": KEY})
    send("x-bf-vk", "GET", f"/v1/videos/{video}", headers={"x-bf-vk": KEY})
    wrong_first = {"Authorization": "Bearer nope-nope-nope", "x-api-key": KEY}
    send("wrong bearer, right x-api-key", "GET", f"/v1/videos/{video}", headers=wrong_first)
    send("malformed basic", "GET", f"/v1/videos/{video}", headers={"Authorization": "Basic %%%"})
    send("bearer without key", "GET", f"/v1/videos/{video}", headers={"Authorization": "Bearer"})
    send("lookup, no key", "GET", f"/v1/videos/{video}")
    send("lookup, wrong key", "GET", f"/v1/videos/{video}", headers={"x-bf-vk": "nope-nope-nope"})
    send("lookup with a query", "GET", f"/v1/videos/{video}", params={"bogus": 1}, headers=H)
    send("lookup with a body", "GET", f"/v1/videos/{video}", content=b"{}", headers=H)
    send("lookup, slash inside", "GET", f"/v1/videos/{video}%2Fx", headers=H)
    send("lookup, head", "HEAD", f"/v1/videos/{video}", headers=H)
    send("thumbnail", "GET", f"/v1/videos/{video}/content", params={"variant": "thumbnail"}, headers=H)
    send("range", "GET", f"/v1/videos/{video}/content", headers=H | {"Range": "bytes=0-9"})
    send("bad range", "GET", f"/v1/videos/{video}/content", headers=H | {"Range": "bytes=99999999-"})
    send("bad variant", "GET", f"/v1/videos/{video}/content", params={"variant": "nope"}, headers=H)
    send("other tenant", "GET", f"/v1/videos/{video}", headers={"Authorization": f"Bearer {OTHER}"})
    send("remix", "POST", f"/v1/videos/{video}/remix", json={"prompt": "again"}, headers=H)
    send("list asc", "GET", "/v1/videos", params={"provider": "local", "limit": 1, "order": "asc"}, headers=H)
    send("create, x-api-key", "POST", "/v1/videos", json=body, headers={"x-api-key": KEY})
    send("create, basic", "POST", "/v1/videos", json=body, headers={"Authorization": f"Basic {basic}"})
    send("create, extra field", "POST", "/v1/videos", json=body | {"bogus": 1}, headers=H)
    charset = H | {"content-type": "application/json; charset=utf-8"}
    send("create, charset", "POST", "/v1/videos", content=json.dumps(body).encode(), headers=charset)
    send("create, empty key", "POST", "/v1/videos", json=body, headers=H | {"Idempotency-Key": ""})
    json_type = H | {"content-type": "application/json"}
    send("create, null", "POST", "/v1/videos", content=b"null", headers=json_type)
    send("create, array", "POST", "/v1/videos", json=[body], headers=H)
    send("create, wrong bearer", "POST", "/v1/videos", json=body, headers=wrong_first)
    send("no key", "POST", "/v1/videos", json=body)
    send("wrong key", "POST", "/v1/videos", json=body, headers={"Authorization": "Bearer nope-nope-nope"})
    send("missing model", "POST", "/v1/videos", json={"prompt": "x"}, headers=H)
    send("seconds 0", "POST", "/v1/videos", json=body | {"seconds": 0}, headers=H)
    send("seconds string", "POST", "/v1/videos", json=body | {"seconds": "4"}, headers=H)
    send("odd size", "POST", "/v1/videos", json=body | {"size": "65x64"}, headers=H)
    send("unknown provider", "POST", "/v1/videos", json=body | {"model": "nosuch/x"}, headers=H)
    send("not json", "POST", "/v1/videos", content=b"{nope", headers=H | {"content-type": "application/json"})
    send(
        "not utf-8",
        "POST",
        "/v1/videos",
        content=b"\xff\xfe",
        headers=H | {"content-type": "application/json"},
    )
    send("text/plain", "POST", "/v1/videos", content=b"hello", headers=H | {"content-type": "text/plain"})
    send(
        "deep json",
        "POST",
        "/v1/videos",
        content=("[" * 5000 + "]" * 5000).encode(),
        headers=H | {"content-type": "application/json"},
    )
    send(
        "too large",
        "POST",
        "/v1/videos",
        content=b"x" * 70000,
        headers=H | {"content-type": "application/json"},
    )
    send("malformed id", "GET", "/v1/videos/nope", headers=H)
    send("unknown id", "GET", "/v1/videos/video_01JD3Z8Q7W6X5V4T3S2R1P0N9M:local", headers=H)
    send("unknown id provider", "GET", "/v1/videos/abc:nosuch", headers=H)
    send("method", "PUT", "/v1/videos", headers=H)
    send("route", "GET", "/v1/nothing", headers=H)
    send("limit 0", "GET", "/v1/videos", params={"provider": "local", "limit": 0}, headers=H)
    send("unknown query", "GET", "/v1/videos", params={"provider": "local", "bogus": 1}, headers=H)
    send("no provider", "GET", "/v1/videos", headers=H)
    first = send("idempotent 1", "POST", "/v1/videos", json=body, headers=H | {"Idempotency-Key": "eq-1"})
    while c.get(f"/v1/videos/{first.json()['id']}", headers=H).json()["status"] != "completed":
        assert time.monotonic() < deadline + 60  # the replay answers the job as it is now: a settled one
        time.sleep(0.1)
    send("idempotent 2", "POST", "/v1/videos", json=body, headers=H | {"Idempotency-Key": "eq-1"})
    send(
        "idempotent other",
        "POST",
        "/v1/videos",
        json=body | {"prompt": "y"},
        headers=H | {"Idempotency-Key": "eq-1"},
    )
    form = {"prompt": "openai form", "seconds": "1", "size": "64x64", "model": "local/default"}
    made_openai = send(
        "openai create", "POST", "/openai/v1/videos", files={k: (None, v) for k, v in form.items()}, headers=H
    )
    made_id = made_openai.json()["id"]
    deadline = time.monotonic() + 60  # the worker runs beside HTTP: compare settled states, not a race
    while c.get(f"/openai/v1/videos/{made_id}", headers=H).json()["status"] != "completed":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    send("openai retrieve", "GET", f"/openai/v1/videos/{made_id}", headers=H)
    send("openai unknown", "GET", "/openai/v1/videos/video_01JD3Z8Q7W6X5V4T3S2R1P0N9M:local", headers=H)
    send("openai other tenant", "GET", f"/openai/v1/videos/{made_id}", headers={"x-api-key": OTHER})
    send("openai list", "GET", "/openai/v1/videos", params={"limit": 2}, headers=H)
    send(
        "openai file_id",
        "POST",
        "/openai/v1/videos",
        json={"prompt": "x", "input_reference": {"file_id": "f"}},
        headers=H,
    )
    send("openai edit", "POST", "/openai/v1/videos/edits", headers=H)
    deadline = time.monotonic() + 60  # usage counts finished jobs: let every job of the corpus finish
    while any(
        v["status"] in ("queued", "in_progress")
        for v in c.get("/v1/videos", params={"provider": "local", "limit": 100}, headers=H).json()["data"]
    ):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    send("usage", "GET", "/v1/usage", headers=H)
    send("delete", "DELETE", f"/v1/videos/{video}", headers=H)
    send("delete again", "DELETE", f"/v1/videos/{video}", headers=H)
    send("openapi", "GET", "/openapi.json")
    return out


def serve(tmp_path: Path, tuned: bool) -> ServerProcess:
    tmp_path.mkdir(parents=True, exist_ok=True)
    config = tmp_path / "vidgate.yaml"
    config.write_text(f"tenants:\n  a: [{KEY}]\n  b: [{OTHER}]\n")
    env = {"VIDGATE_CONFIG": str(config), "VIDGATE_MAX_BODY_BYTES": "65536"}
    env["VIDGATE_LIBRARY_TUNING"] = env["VIDGATE_SHORTCUTS"] = "true" if tuned else "false"
    return ServerProcess(tmp_path, env=env).start()


@pytest.mark.slow
def test_the_tuned_and_the_untuned_gateway_answer_alike(tmp_path: Path) -> None:
    answers: dict[bool, list[tuple[str, tuple[Any, ...]]]] = {}
    for tuned in (True, False):
        server = serve(tmp_path / str(tuned), tuned)
        try:
            names: dict[str, str] = {}
            with httpx.Client(base_url=server.url, timeout=30) as c:
                answers[tuned] = [(name, answer(r, names)) for name, r in corpus(c)]
        finally:
            server.stop()
    differ: Callable[[int], bool] = lambda i: answers[True][i] != answers[False][i]  # noqa: E731
    mismatches = [(answers[True][i], answers[False][i]) for i in range(len(answers[True])) if differ(i)]
    statuses = sorted({a[1][0] for a in answers[True]})
    print(
        f"\ntuning equivalence: {len(answers[True])} requests, statuses {statuses}, {len(mismatches)} differ"
    )
    assert not mismatches, json.dumps(mismatches, indent=1, default=str)[:4000]
