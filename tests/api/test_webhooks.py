"""Webhooks: signed (verified with the Standard Webhooks library), retried, durable across restarts."""

from __future__ import annotations

import base64
import json
import os
import time
from pathlib import Path

import httpx
from standardwebhooks import Webhook
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.fakes.harness import FakeServer
from tests.support.catalog import SORA_STILL_SERVED
from tests.support.server import ServerProcess

KEY = "vg-webhook-test"
H = {"Authorization": f"Bearer {KEY}"}
SECRET = "whsec_" + base64.b64encode(os.urandom(24)).decode()


class Receiver:
    def __init__(self, fail_first: int = 0) -> None:
        self.fail_first = fail_first
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.attempts = 0

    async def hook(self, request: Request) -> Response:
        self.attempts += 1
        if self.attempts <= self.fail_first:
            return Response(status_code=503)
        self.received.append((dict(request.headers), await request.body()))
        return Response(status_code=204)

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/hook", self.hook, methods=["POST"])])


def config(tmp_path: Path, url: str) -> dict[str, str]:
    path = tmp_path / "vidgate.yaml"
    path.write_text(
        f"tenants:\n  hooked: [{KEY}]\nwebhooks:\n  hooked:\n    url: {url}\n    secret: {SECRET}\n"
    )
    return {"VIDGATE_CONFIG": str(path), "VIDGATE_ALLOW_PRIVATE_URLS": "true"}


def wait_for(predicate, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def create(url: str, **body) -> dict:
    r = httpx.post(
        f"{url}/v1/videos", headers=H, json={"model": "local/default", "seconds": 1, "size": "64x64", **body}
    )
    assert r.status_code == 200, r.text
    return r.json()


def test_completed_and_failed_events_are_signed_and_retried(tmp_path: Path) -> None:
    receiver = Receiver(fail_first=1)
    with FakeServer(receiver.app()) as hook_server:
        server = ServerProcess(tmp_path, env=config(tmp_path, f"{hook_server.url}/hook")).start()
        try:
            job = create(server.url, prompt="hooked clip")
            wait_for(lambda: len(receiver.received) >= 1)
            headers, body = receiver.received[0]
            event = Webhook(SECRET).verify(body, headers)  # raises unless the signature is right
            assert event["type"] == "video.completed" and event["data"]["id"] == job["id"]
            assert event["data"]["status"] == "completed" and headers["webhook-id"].startswith("msg_")
            assert receiver.attempts == 2  # the first attempt got a 503 and was retried

            # video.failed: a remix whose source is gone by the time it runs
            source = create(server.url, prompt="source")
            wait_for(
                lambda: (
                    httpx.get(f"{server.url}/v1/videos/{source['id']}", headers=H).json()["status"]
                    == "completed"
                )
            )
            blocker = create(server.url, prompt="blocker", seconds=20, size="1920x1080")
            wait_for(
                lambda: (
                    httpx.get(f"{server.url}/v1/videos/{blocker['id']}", headers=H).json()["status"]
                    == "in_progress"
                )
            )
            remix = httpx.post(
                f"{server.url}/v1/videos/{source['id']}/remix", headers=H, json={"prompt": "gone"}
            ).json()
            httpx.delete(f"{server.url}/v1/videos/{source['id']}", headers=H)
            httpx.delete(f"{server.url}/v1/videos/{blocker['id']}", headers=H)
            wait_for(lambda: any(json.loads(b)["data"]["id"] == remix["id"] for _, b in receiver.received))
            failed = next(
                json.loads(b) for _, b in receiver.received if json.loads(b)["data"]["id"] == remix["id"]
            )
            assert (
                failed["type"] == "video.failed" and failed["data"]["error"]["code"] == "source_unavailable"
            )
            tampered = dict(receiver.received[0][0])
            try:
                Webhook(SECRET).verify(receiver.received[0][1] + b" ", tampered)
                raise AssertionError("a tampered body verified")
            except Exception as exc:
                assert "signature" in str(exc).lower()
        finally:
            server.stop()


def test_a_delivery_survives_a_restart(tmp_path: Path) -> None:
    receiver = Receiver()
    hook_server = FakeServer(receiver.app())
    env = config(tmp_path, f"{hook_server.url}/hook")
    server = ServerProcess(tmp_path, env=env).start()
    job = create(server.url, prompt="delivered later")  # the receiver is not up yet: attempts fail
    wait_for(
        lambda: httpx.get(f"{server.url}/v1/videos/{job['id']}", headers=H).json()["status"] == "completed"
    )
    server.kill()
    with hook_server:
        restarted = ServerProcess(tmp_path, env=env, port=server.port).start()
        try:
            wait_for(lambda: len(receiver.received) == 1, timeout=40)
            event = Webhook(SECRET).verify(receiver.received[0][1], receiver.received[0][0])
            assert event["data"]["id"] == job["id"]
        finally:
            restarted.stop()


def test_a_job_given_up_after_too_many_attempts_sends_video_failed(tmp_path: Path) -> None:
    """Every poll of the upstream job fails: the job is failed by the claim that finds it over its
    attempts, and that failure is an event like any other."""
    from tests.fakes.harness import Fault
    from tests.fakes.openai_videos import OpenAIVideosFake

    receiver = Receiver()
    upstream = OpenAIVideosFake(key="sk-webhook-upstream")
    with FakeServer(receiver.app()) as hook_server, FakeServer(upstream.app()) as upstream_server:
        upstream_server.app.inject(Fault("status", 503, method="GET", path="^/v1/videos/", times=1000))
        env = config(tmp_path, f"{hook_server.url}/hook") | {
            "VIDGATE_PROVIDERS__OPENAI__API_KEY": "sk-webhook-upstream",
            "VIDGATE_PROVIDERS__OPENAI__BASE_URL": upstream_server.url,
            "VIDGATE_PROVIDERS__OPENAI__POLL_INTERVAL_SECONDS": "0.05",
            "VIDGATE_PROVIDERS__OPENAI__MAX_RETRIES": "0",
            **SORA_STILL_SERVED,
        }
        server = ServerProcess(tmp_path, env=env).start()
        try:
            job = create(
                server.url, model="openai/sora-2", prompt="never answers", seconds=4, size="1280x720"
            )
            wait_for(lambda: len(receiver.received) >= 1, timeout=60)
            event = Webhook(SECRET).verify(receiver.received[0][1], receiver.received[0][0])
            assert event["type"] == "video.failed" and event["data"]["id"] == job["id"]
            assert event["data"]["error"]["code"] == "too_many_attempts"
            assert upstream_server.app.count("GET", "^/v1/videos/") >= 5
        finally:
            server.stop()
