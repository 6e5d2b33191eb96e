"""`kling` through the gateway, against a loopback fake of Kling AI's API v1 (tests/fakes/kling.py).

Kling publishes no official Python SDK, so there is no oracle test: the fake follows Kling's
published API reference (https://kling.ai/document-api/apiReference/commonInfo and the text-to-video
and image-to-video pages), named in its docstring. What the gateway cannot show (a token outliving
its 30 minutes in a long job) is tested on the adapter itself, in process, with a clock the test moves.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import io
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import httpx
import openai
import pytest
from PIL import Image
from vidgate_client import AuthenticatedClient
from vidgate_client.api.videos import video_generation, video_retrieve
from vidgate_client.models import VideoGenerationRequest, VideoGenerationResponse, VideoStatus

from tests.fakes.harness import FakeServer, Fault, sample_media
from tests.fakes.kling import (
    ACCESS_KEY,
    IMAGE2VIDEO_MODELS,
    SECRET_KEY,
    TEXT2VIDEO_MODELS,
    KlingFake,
    provider_fake,
    verify_jwt,
)
from tests.providers.gateway import GATEWAY_KEY, Stack, provider_stack, wait_done
from tests.support.job_context import StagingContext
from vidgate.catalog import Catalog
from vidgate.config import ProviderSettings, Settings
from vidgate.domain import JobRecord, JobStatus
from vidgate.domain.ids import new_job_id
from vidgate.providers.base import Completed, GenerationRequest, Pending
from vidgate.providers.kling import IMAGE_ONLY, TOKEN_LIFETIME, KlingVideos, encode_jwt
from vidgate.providers.registry import build_providers
from vidgate.upstream import UpstreamError

T = TypeVar("T")


def png(width: int = 320, height: int = 320, kind: str = "PNG") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(buf, kind)
    return buf.getvalue()


def data_url(data: bytes, mime: str = "image/png") -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with provider_stack(tmp_path_factory, provider_fake()) as stack:
        yield stack


@pytest.fixture
def api(stack: Stack) -> Iterator[httpx.Client]:
    with stack.api() as client:
        yield client


@pytest.fixture
def fake(stack: Stack) -> Iterator[KlingFake]:
    state: KlingFake = stack.fakes["kling"].state
    yield state
    state.polls_to_complete = 3
    stack.servers["kling"].app.faults.clear()


def creates(stack: Stack) -> list:
    return [c for c in stack.calls("kling", "POST") if c.path.startswith("/v1/videos/")]


def task_of(fake: KlingFake, job: dict) -> dict[str, Any]:
    """The fake's task for a gateway job: it was sent with the job's id as external_task_id."""
    return fake.tasks[fake.by_external[job["id"].rsplit(":", 1)[0]]]


# --- the lifecycle ----------------------------------------------------------------------------


def test_text_to_video_create_progress_complete_download(
    stack: Stack, api: httpx.Client, fake: KlingFake
) -> None:
    r = api.post(
        "/v1/videos",
        json={
            "model": "kling/kling-v2-6",
            "prompt": "A golden retriever running through autumn leaves",
            "negative_prompt": "blur",
            "seconds": 10,
            "size": "1920x1080",
            "audio": True,
        },
    )
    assert r.status_code == 200, r.text
    job = r.json()
    assert job["id"].endswith(":kling") and (job["seconds"], job["size"]) == (10, "1920x1080")
    task = task_of(fake, job)
    assert task["endpoint"] == "text2video"
    assert task["body"] == {
        "model_name": "kling-v2-6",
        "prompt": "A golden retriever running through autumn leaves",
        "negative_prompt": "blur",
        "duration": "10",
        "mode": "pro",
        "aspect_ratio": "16:9",
        "sound": "on",
        "external_task_id": job["id"].rsplit(":", 1)[0],
    }
    sent = creates(stack)[-1]
    assert sent.path == "/v1/videos/text2video" and sent.headers["content-type"] == "application/json"
    scheme, _, token = sent.headers["authorization"].partition(" ")
    claims = verify_jwt(token, SECRET_KEY)
    assert scheme == "Bearer" and claims is not None and set(claims) == {"iss", "exp", "nbf"}
    assert claims["iss"] == ACCESS_KEY and claims["exp"] - claims["nbf"] == TOKEN_LIFETIME + 5
    assert abs(claims["exp"] - TOKEN_LIFETIME - time.time()) < 60

    done = wait_done(api, job["id"])
    assert done["status"] == "completed" and done["progress"] == 100, done
    assert task["polls"] >= 3  # submitted, processing, succeed
    polls = [c.path for c in stack.calls("kling", "GET") if c.path.startswith("/v1/")]
    assert polls[-1] == f"/v1/videos/text2video/{fake.by_external[job['id'].rsplit(':', 1)[0]]}"
    assert api.get(f"/v1/videos/{job['id']}/content").content == sample_media()["video"]
    thumb = api.get(f"/v1/videos/{job['id']}/content", params={"variant": "thumbnail"})
    sheet = api.get(f"/v1/videos/{job['id']}/content", params={"variant": "spritesheet"})
    assert (thumb.status_code, thumb.headers["content-type"]) == (200, "image/webp")
    assert (sheet.status_code, sheet.headers["content-type"]) == (200, "image/jpeg")
    assert "authorization" not in fake.output_requests[-1]  # Kling's CDN never sees a token
    log = stack.gateway.log()
    assert not [t for t in fake.tokens if t in log]  # nor does the log, ever


def test_image_to_video_sends_raw_base64_and_no_aspect_ratio(
    stack: Stack, api: httpx.Client, fake: KlingFake
) -> None:
    image = png()
    r = api.post(
        "/v1/videos",
        json={
            "model": "kling/kling-v3",
            "prompt": "the girl smiles",
            "seconds": 7,
            "size": "720x1280",
            "input_reference": data_url(image),
        },
    )
    assert r.status_code == 200, r.text
    task = task_of(fake, r.json())
    assert task["endpoint"] == "image2video" and creates(stack)[-1].path == "/v1/videos/image2video"
    assert task["body"] == {
        "model_name": "kling-v3",
        "prompt": "the girl smiles",
        "duration": "7",
        "mode": "std",
        "image": base64.b64encode(image).decode(),
        "external_task_id": r.json()["id"].rsplit(":", 1)[0],
    }
    done = wait_done(api, r.json()["id"])
    assert done["status"] == "completed", done
    polls = [c.path for c in stack.calls("kling", "GET") if c.path.startswith("/v1/")]
    assert polls[-1].startswith("/v1/videos/image2video/")  # polled where it was created


def test_a_failed_task_is_a_failed_job_with_klings_message(api: httpx.Client) -> None:
    r = api.post("/v1/videos", json={"model": "kling/kling-v2-5-turbo", "prompt": "FAIL please"})
    done = wait_done(api, r.json()["id"])
    assert done["status"] == "failed"
    assert done["error"] == {"code": "provider_failed", "message": "Failure to pass the risk control system"}


# --- what a model cannot take --------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "param", "allowed"),
    [
        ({"model": "kling/kling-v2-6", "seconds": 7}, "seconds", "allowed: 5, 10"),
        ({"model": "kling/kling-v3", "seconds": 16}, "seconds", "allowed: 3 to 15"),
        (
            {"model": "kling/kling-v2-5-turbo", "size": "1024x1024"},
            "size",
            "allowed: 1280x720, 720x1280, 720x720, 1920x1080, 1080x1920, 1080x1080",
        ),
        (
            {"model": "kling/kling-v2-1-master", "size": "1280x720"},
            "size",
            "allowed: 1920x1080, 1080x1920, 1080x1080",
        ),
        (
            {"model": "kling/kling-v2-6", "audio": True},
            "size",
            "allowed sizes with audio: 1920x1080, 1080x1920, 1080x1080",
        ),
        ({"model": "kling/kling-v2-5-turbo", "audio": True}, "audio", "generates no audio"),
        ({"model": "kling/kling-v2-6", "seed": 7}, "seed", "does not take seed"),
        ({"model": "kling/kling-v2-1"}, "input_reference", "makes video from an image only"),
        ({"model": "kling/kling-v3", "prompt": "x" * 2501}, "prompt", "at most 2500 characters"),
        ({"model": "kling/kling-v3", "negative_prompt": "x" * 2501}, "negative_prompt", "at most 2500"),
        ({"model": "kling/kling-v9"}, "model", "kling offers kling/kling-v1-6, kling/kling-v2-1,"),
    ],
)
def test_values_a_model_cannot_take_are_refused_before_anything_is_sent(
    stack: Stack, api: httpx.Client, fields: dict, param: str, allowed: str
) -> None:
    before = len(creates(stack))
    r = api.post("/v1/videos", json={"prompt": "a lighthouse", **fields})
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert error["param"] == param and allowed in error["message"], error
    assert len(creates(stack)) == before


def test_a_webp_reference_is_refused_and_nothing_is_created(stack: Stack, api: httpx.Client) -> None:
    before = len(creates(stack))
    r = api.post(
        "/v1/videos",
        json={
            "model": "kling/kling-v3",
            "prompt": "x",
            "input_reference": data_url(png(kind="WEBP"), "image/webp"),
        },
    )
    assert r.status_code == 400 and "PNG or JPEG, not image/webp" in r.json()["error"]["message"], r.text
    assert len(creates(stack)) == before
    listed = api.get("/v1/videos", params={"provider": "kling", "limit": 100}).json()["data"]
    assert "x" not in [v.get("prompt") for v in listed]  # no job was kept either


# --- Kling's codes, not its HTTP statuses -----------------------------------------------------


def test_content_policy_at_create_is_a_400_with_klings_message(stack: Stack, api: httpx.Client) -> None:
    r = api.post("/v1/videos", json={"model": "kling/kling-v3", "prompt": "BLOCKED words"})
    assert r.status_code == 400, r.text
    body = r.json()
    assert body["error"]["code"] == "content_policy_violation" and body["is_bifrost_error"] is False
    assert "Failure to pass the risk control system (Kling code 1301)" in body["error"]["message"]
    assert body["extra_fields"]["provider"] == "kling"


def test_no_balance_comes_as_429_but_is_not_retried(stack: Stack, api: httpx.Client, fake: KlingFake) -> None:
    stack.servers["kling"].app.inject(
        Fault(
            "status",
            429,
            method="POST",
            body={"code": 1102, "message": "resource pack exhausted", "request_id": "r-1"},
        )
    )
    before = len(creates(stack))
    r = api.post("/v1/videos", json={"model": "kling/kling-v3", "prompt": "no money"})
    assert r.status_code == 502, r.text  # the gateway's account, not the caller, must act
    assert r.json()["error"]["code"] == "insufficient_balance"
    assert "resource pack exhausted (Kling code 1102)" in r.json()["error"]["message"]
    assert len(creates(stack)) == before + 1  # sent once: waiting buys no balance


def test_no_balance_falls_back_to_the_next_provider(stack: Stack, api: httpx.Client) -> None:
    """The gateway's account at Kling cannot pay; the caller's request is fine elsewhere."""
    stack.servers["kling"].app.inject(
        Fault("status", 429, method="POST", body={"code": 1102, "message": "resource pack exhausted"})
    )
    r = api.post(
        "/v1/videos",
        json={
            "model": "kling/kling-v3",
            "prompt": "no money here",
            "seconds": 5,
            "size": "1280x720",
            "fallbacks": [{"provider": "local", "model": "default"}],
        },
    )
    assert r.status_code == 200, r.text
    assert r.json()["extra_fields"]["provider"] == "local"
    assert wait_done(api, r.json()["id"])["status"] == "completed"


@pytest.mark.parametrize(
    "fault",
    [
        Fault("status", 429, method="POST", headers={"retry-after": "0"}),  # a bare 429
        Fault(
            "status",
            429,
            method="POST",
            times=2,
            body={"code": 1303, "message": "parallel task over resource pack limit", "request_id": "r"},
        ),
        Fault("status", 429, method="POST", body={"code": 1302, "message": "too fast", "request_id": "r"}),
        Fault("status", 200, method="POST", body={"code": 5001, "message": "maintenance", "request_id": "r"}),
    ],
    ids=["http-429", "1303-concurrency", "1302-rate", "http-200-code-5001"],
)
def test_rate_limits_and_outages_are_retried_and_create_one_task(
    stack: Stack, api: httpx.Client, fake: KlingFake, fault: Fault
) -> None:
    stack.servers["kling"].app.inject(dataclasses.replace(fault))  # (the harness counts its copy down)
    before, tasks = len(creates(stack)), len(fake.tasks)
    r = api.post("/v1/videos", json={"model": "kling/kling-v2-5-turbo", "prompt": f"retried {fault.status}"})
    assert r.status_code == 200, r.text
    assert len(creates(stack)) == before + fault.times + 1 and len(fake.tasks) == tasks + 1


def test_refused_credentials_are_the_operators_to_fix(stack: Stack, api: httpx.Client) -> None:
    stack.servers["kling"].app.inject(
        Fault("status", 401, method="POST", body={"code": 1002, "message": "Authorization is invalid"})
    )
    r = api.post("/v1/videos", json={"model": "kling/kling-v3", "prompt": "who am I"})
    assert r.status_code == 502 and r.json()["extra_fields"]["error_type"] == "provider_auth", r.text
    assert "Authorization is invalid (Kling code 1002)" in r.json()["error"]["message"]


def test_a_failing_poll_is_retried(stack: Stack, api: httpx.Client) -> None:
    stack.servers["kling"].app.inject(
        Fault(
            "status", 500, method="GET", path="^/v1/videos/", times=2, body={"code": 5000, "message": "oops"}
        )
    )
    r = api.post("/v1/videos", json={"model": "kling/kling-v1-6", "prompt": "after a hiccup"})
    assert wait_done(api, r.json()["id"])["status"] == "completed"


# --- lost answers: found again by external_task_id -------------------------------------------


def test_a_lost_create_answer_is_found_by_external_task_id(
    stack: Stack, api: httpx.Client, fake: KlingFake
) -> None:
    stack.servers["kling"].app.inject(Fault("lost_answer", method="POST", path="^/v1/videos/text2video$"))
    before = len(fake.tasks)
    r = api.post("/v1/videos", json={"model": "kling/kling-v3", "prompt": "answer lost"})
    assert r.status_code == 200, r.text
    external = r.json()["id"].rsplit(":", 1)[0]
    assert wait_done(api, r.json()["id"])["status"] == "completed"
    assert len(fake.tasks) == before + 1  # created once, found, not created again
    assert any(c.path == f"/v1/videos/text2video/{external}" for c in stack.calls("kling", "GET"))


def test_a_create_that_never_arrived_is_sent_again(stack: Stack, api: httpx.Client, fake: KlingFake) -> None:
    stack.servers["kling"].app.inject(Fault("reset", method="POST", path="^/v1/videos/text2video$"))
    before = len(fake.tasks)
    r = api.post("/v1/videos", json={"model": "kling/kling-v3", "prompt": "never arrived"})
    assert r.status_code == 200, r.text
    assert wait_done(api, r.json()["id"])["status"] == "completed"
    assert len(fake.tasks) == before + 1  # Kling said 1203 for its external_task_id: sent again, once


# --- no cancel or delete upstream ------------------------------------------------------------


def test_delete_removes_only_the_gateways_copy(stack: Stack, api: httpx.Client, fake: KlingFake) -> None:
    fake.polls_to_complete = 10_000
    job = api.post("/v1/videos", json={"model": "kling/kling-v3", "prompt": "long one"}).json()
    task = task_of(fake, job)
    r = api.delete(f"/v1/videos/{job['id']}")
    assert r.status_code == 200 and r.json()["deleted"] is True, r.text
    assert api.get(f"/v1/videos/{job['id']}").status_code == 404
    assert not [c for c in stack.calls("kling") if c.method not in ("GET", "POST")]
    assert task["external_task_id"] in fake.by_external  # Kling still has it: it cannot delete
    models = {m["id"]: m for m in api.get("/v1/models").json()["data"] if m["provider"] == "kling"}
    assert "video_delete" not in models["kling/kling-v3"]["capabilities"]
    assert "No upstream cancel or delete" in models["kling/kling-v3"]["note"]


# --- through the SDKs callers use ------------------------------------------------------------


def test_a_job_through_the_openai_sdk(stack: Stack) -> None:
    sdk = openai.OpenAI(base_url=f"{stack.gateway.url}/openai/v1", api_key=GATEWAY_KEY, max_retries=0)
    video = sdk.videos.create_and_poll(
        model="kling/kling-v2-5-turbo",
        prompt="a paper boat on a pond",
        seconds="5",  # type: ignore[arg-type]
        size="720x1280",
        poll_interval_ms=100,
    )
    assert video.status == "completed" and video.model == "kling/kling-v2-5-turbo", video
    assert sdk.videos.download_content(video.id).read() == sample_media()["video"]


def test_a_job_through_the_generated_client(stack: Stack, fake: KlingFake) -> None:
    with AuthenticatedClient(base_url=stack.gateway.url, token=GATEWAY_KEY, timeout=30) as client:
        body = VideoGenerationRequest.from_dict(
            {"model": "kling/kling-v2-1-master", "prompt": "a red kite", "seconds": 5, "size": "1080x1920"}
        )
        job = video_generation.sync(client=client, body=body)
        assert isinstance(job, VideoGenerationResponse), job
        assert task_of(fake, {"id": job.id})["body"]["aspect_ratio"] == "9:16"
        deadline = time.monotonic() + 20
        while job.status not in (VideoStatus.COMPLETED, VideoStatus.FAILED) and time.monotonic() < deadline:
            time.sleep(0.1)
            job = video_retrieve.sync(job.id, client=client)
            assert isinstance(job, VideoGenerationResponse), job
        assert job.status == VideoStatus.COMPLETED, job.error


# --- the fake refuses what Kling refuses -----------------------------------------------------


def test_the_fake_refuses_bad_and_expired_tokens(stack: Stack) -> None:
    now = int(time.time())
    url = f"{stack.servers['kling'].url}/v1/videos/text2video/123"

    def code(authorization: str | None) -> int:
        headers = {"authorization": authorization} if authorization else {}
        return httpx.get(url, headers=headers).json()["code"]

    def bearer(claims: dict, secret: str = SECRET_KEY) -> str:
        return "Bearer " + encode_jwt(claims, secret)

    good = {"iss": ACCESS_KEY, "exp": now + 1800, "nbf": now - 5}
    assert code(bearer(good)) == 1203  # let in: no such task
    assert code(None) == 1001
    assert code(bearer(good, "wrong-secret")) == 1002
    assert code(bearer(good | {"iss": "someone-else"})) == 1002
    assert code(bearer(good).replace("Bearer", "Token")) == 1002
    assert code(bearer(good | {"exp": now - 1})) == 1004
    assert code(bearer(good | {"nbf": now + 60})) == 1003


def test_the_jwt_is_rfc_7519_hs256() -> None:
    """The signer against jwt.io's well-known example token (independent of this code)."""
    claims = {"sub": "1234567890", "name": "John Doe", "iat": 1516239022}
    assert encode_jwt(claims, "your-256-bit-secret") == (
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0"
        "IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
    )


def test_the_catalog_lists_models_the_reference_has() -> None:
    models = Catalog.load().entry("kling").models
    assert models and set(models) <= set(IMAGE2VIDEO_MODELS)
    assert set(models) - set(TEXT2VIDEO_MODELS) == IMAGE_ONLY  # the models text2video does not take
    for spec in models.values():
        assert spec.price is not None and spec.price.source.startswith("https://kling.ai/")
        assert spec.note and "No upstream cancel or delete" in spec.note


# --- the adapter in process: credentials and a token that outlives its 30 minutes -----------


def adapter(url: str, **credentials: Any) -> KlingVideos:
    settings = ProviderSettings(base_url=url, timeout_seconds=5, max_retry_wait_seconds=0.05, **credentials)
    provider = KlingVideos(settings)
    provider.catalog = Catalog.load().entry("kling")
    return provider


def job_record(provider: KlingVideos, prompt: str) -> JobRecord:
    prepared = provider.prepare(GenerationRequest(model="kling-v2-5-turbo", prompt=prompt))
    return JobRecord(
        id=new_job_id(),
        tenant="t",
        provider="kling",
        model=prepared.model,
        status=JobStatus.QUEUED,
        prompt=prompt,
        seconds=prepared.seconds,
        size=prepared.size,
        created_at=int(time.time()),
        params=prepared.params,
    )


def test_the_token_is_renewed_so_a_long_job_outlives_it(tmp_path: Path) -> None:
    clock = [1_800_000_000.0]
    fake = KlingFake(polls_to_complete=7, clock=lambda: clock[0])
    with FakeServer(fake.app()) as server:

        async def run() -> list:
            provider = adapter(server.url, access_key_id=ACCESS_KEY, secret_key=SECRET_KEY)
            assert provider.token is not None
            provider.token.clock = lambda: clock[0]
            job = job_record(provider, "a slow sunrise")
            submitted = await provider.submit(job)
            job = JobRecord(
                **{**job.__dict__, "upstream_id": submitted.upstream_id, "upstream": submitted.state}
            )
            outcomes = []
            start = clock[0]
            # one poll now and then over three hours: tokens live half an hour
            for minutes in (1, 20, 27, 29, 45, 100, 180):
                clock[0] = start + minutes * 60
                outcomes.append(await provider.advance(job, StagingContext(tmp_path)))
            await provider.aclose()
            return outcomes

        outcomes = asyncio.run(run())
    assert all(isinstance(o, Pending) for o in outcomes[:-1]) and isinstance(outcomes[-1], Completed), (
        outcomes
    )
    assert fake.refused == []  # not one call with an expired token
    assert len(set(fake.tokens)) >= 4  # renewed several times, reused in between
    assert len(set(fake.tokens)) < len(fake.tokens)


def test_a_token_kling_calls_expired_is_replaced(tmp_path: Path) -> None:
    now = [1_800_000_000.0]
    kling_now = [now[0]]
    fake = KlingFake(clock=lambda: kling_now[0])
    with FakeServer(fake.app()) as server:

        async def run() -> None:
            provider = adapter(server.url, access_key_id=ACCESS_KEY, secret_key=SECRET_KEY)
            assert provider.token is not None
            provider.token.clock = lambda: now[0]
            job = job_record(provider, "clocks apart")
            submitted = await provider.submit(job)
            job = JobRecord(
                **{**job.__dict__, "upstream_id": submitted.upstream_id, "upstream": submitted.state}
            )
            kling_now[0] = now[0] + 1900  # Kling's clock runs ahead of ours: our token is expired there
            with pytest.raises(UpstreamError) as refused:
                await provider.advance(job, StagingContext(tmp_path))
            assert refused.value.status == 401 and "Kling code 1004" in refused.value.message
            kling_now[0] = now[0] = now[0] + 1000  # clocks agree again, the old token still "valid" here
            assert isinstance(await provider.advance(job, StagingContext(tmp_path)), Pending)
            await provider.aclose()

        asyncio.run(run())
    assert fake.refused == [1004] and len(set(fake.tokens)) == 2


def test_an_api_key_is_sent_as_the_bearer(tmp_path: Path) -> None:
    fake = KlingFake(api_key="kling-api-key-0001")
    with FakeServer(fake.app()) as server:

        async def run() -> None:
            provider = adapter(server.url, api_key="kling-api-key-0001")
            assert provider.token is None
            await provider.submit(job_record(provider, "with an api key"))
            await provider.aclose()

        asyncio.run(run())
        assert server.app.calls[-1].headers["authorization"] == "Bearer kling-api-key-0001"
    assert fake.refused == [] and fake.tokens == ["kling-api-key-0001"]


def test_kling_is_offered_with_either_kind_of_credentials() -> None:
    catalog = Catalog.load()

    def offered(**settings: Any) -> tuple[bool, str | None]:
        config = Settings(providers={"kling": ProviderSettings(**settings)} if settings else {})
        registry = build_providers(config, catalog)
        return "kling" in registry.offered, registry.unconfigured.get("kling")

    assert offered(access_key_id="ak", secret_key="sk") == (True, None)
    assert offered(api_key="key") == (True, None)
    assert offered() == (
        False,
        "VIDGATE_PROVIDERS__KLING__ACCESS_KEY_ID, VIDGATE_PROVIDERS__KLING__SECRET_KEY "
        "or VIDGATE_PROVIDERS__KLING__API_KEY",
    )
    assert offered(access_key_id="ak")[1] == (
        "VIDGATE_PROVIDERS__KLING__SECRET_KEY or VIDGATE_PROVIDERS__KLING__API_KEY"
    )
