"""The official `dashscope` SDK as the oracle for what the `dashscope` adapter sends, and for what the
fake (tests/fakes/dashscope.py) answers.

Both talk to the same loopback fake: the SDK through `dashscope.base_http_api_url` (what Alibaba's
own samples set for the Singapore region), the adapter through its BASE_URL. For the same inputs
(text-to-video and image-to-video in both request shapes, poll, cancel) the recorded requests must
agree on method, path, query, the auth scheme, the async header, the content type and the JSON
body, except for the differences listed in ACCEPTED_DIFFERENCES. Every kind of answer the fake
gives is parsed by the SDK's own `VideoSynthesisResponse` / `DashScopeAPIResponse`, and the values
the SDK declares (task statuses, which models take the media protocol, media types) are held
against the adapter and the catalog.
"""

from __future__ import annotations

import asyncio
import base64
import copy
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dashscope
import pytest
from dashscope import VideoSynthesis
from dashscope.aigc.video_synthesis import AioVideoSynthesis
from dashscope.api_entities.aio_session import close_shared_aio_session
from dashscope.api_entities.dashscope_response import (
    DashScopeAPIResponse,
    VideoSynthesisOutput,
    VideoSynthesisResponse,
    VideoSynthesisUsage,
)
from dashscope.common.constants import TaskStatus
from dashscope.v2.resources import videos as sdk_videos

from tests.fakes.dashscope import KEY, DashScopeFake
from tests.fakes.harness import Call, FakeServer, Fault, png_bytes, sample_media
from tests.support.job_context import StagingContext
from vidgate.catalog import Catalog
from vidgate.config import ProviderSettings
from vidgate.domain import ImageInput, JobRecord, JobStatus
from vidgate.providers.base import Completed, Failed, GenerationRequest, Pending
from vidgate.providers.dashscope import STATUS, DashScopeVideos, image_to_video, media_protocol

PNG = png_bytes()
PNG_URL = "data:image/png;base64," + base64.b64encode(PNG).decode()

# field -> why the SDK and the adapter may differ there
ACCEPTED_DIFFERENCES = {
    "input.extend_prompt": "the SDK adds the deprecated `extend_prompt: true` to every input "
    "(aigc/video_synthesis.py _get_input); the adapter leaves prompt rewriting at DashScope's default, "
    "which is the same `true`",
    "input.function": "the SDK adds `function: video-synthesis` to every input; the path already names "
    "the service and the API ignores it",
    "content-type charset": "the SDK says `application/json; charset=utf-8`, httpx `application/json` "
    "(JSON is UTF-8 by definition)",
    "accept, user-agent, x-dashscope-sdk-client, x-dashscope-sdk-session-id": "the SDK's own "
    "identification headers; not part of the API",
}
SDK_ONLY_INPUT = ("extend_prompt", "function")
# TaskStatus words the adapter does not name: SUSPENDED is not in the API reference's status list;
# should it ever come, pending_status answers it as an unknown word, retried rather than trusted.
UNNAMED_STATUSES = {"SUSPENDED"}


@pytest.fixture(scope="module")
def fake() -> DashScopeFake:
    return DashScopeFake(KEY)


@pytest.fixture(scope="module")
def server(fake: DashScopeFake) -> Iterator[FakeServer]:
    with FakeServer(fake.app()) as server:
        yield server


@pytest.fixture
def sdk(server: FakeServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dashscope, "base_http_api_url", f"{server.url}/api/v1")
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    """One loop for all of a test's adapter calls (its pooled connections belong to it)."""
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture
def adapter(server: FakeServer, loop: asyncio.AbstractEventLoop) -> Iterator[DashScopeVideos]:
    provider = DashScopeVideos(
        ProviderSettings(api_key=KEY, base_url=f"{server.url}/api/v1", max_retry_wait_seconds=0.1)
    )
    provider.catalog = Catalog.load().entry("dashscope")
    yield provider
    loop.run_until_complete(provider.aclose())


def job_for(
    provider: DashScopeVideos, request: GenerationRequest, upstream_id: str | None = None
) -> JobRecord:
    prepared = provider.prepare(request)
    return JobRecord(
        id="job-1",
        tenant="t",
        provider="dashscope",
        model=prepared.model,
        status=JobStatus.QUEUED,
        prompt=request.prompt,
        seconds=prepared.seconds,
        size=prepared.size,
        created_at=int(time.time()),
        params=prepared.params,
        upstream_id=upstream_id,
    )


def calls_during(server: FakeServer, action) -> list[Call]:  # type: ignore[no-untyped-def]
    before = len(server.app.calls)
    action()
    return server.app.calls[before:]


def wire(call: Call, task_id: str | None = None) -> dict[str, Any]:
    """What matters of a request: its line, auth, async marker, content type and JSON body (with a
    task id in the path spelled `{task_id}`, to compare requests about two tasks)."""
    content_type = call.headers.get("content-type")
    body = json.loads(call.body) if call.body else None
    if body is not None:
        body = copy.deepcopy(body)
        for field in SDK_ONLY_INPUT:  # ACCEPTED_DIFFERENCES
            body.get("input", {}).pop(field, None)
    return {
        "method": call.method,
        "path": call.path.replace(task_id, "{task_id}") if task_id else call.path,
        "query": call.query,
        "authorization": call.headers.get("authorization"),
        "x-dashscope-async": call.headers.get("x-dashscope-async"),
        "content-type": content_type.split(";")[0].strip() if content_type else None,
        "body": body,
    }


CREATES = [
    pytest.param(
        GenerationRequest(
            model="wan2.6-t2v",
            prompt="A kitten running in the moonlight",
            seconds=7,
            size="1088x832",
            negative_prompt="blurry",
            seed=42,
        ),
        {
            "model": "wan2.6-t2v",
            "prompt": "A kitten running in the moonlight",
            "negative_prompt": "blurry",
            "size": "1088*832",
            "duration": 7,
            "seed": 42,
        },
        None,
        id="legacy-t2v-size",
    ),
    pytest.param(
        GenerationRequest(model="wan2.2-t2v-plus", prompt="a quiet harbour", size="624x624"),
        {"model": "wan2.2-t2v-plus", "prompt": "a quiet harbour", "size": "624*624", "duration": 5},
        None,
        id="legacy-t2v-defaults",
    ),
    pytest.param(
        GenerationRequest(model="wan2.7-t2v", prompt="rain on a tin roof", size="1248x1632"),
        {
            "model": "wan2.7-t2v",
            "prompt": "rain on a tin roof",
            "resolution": "1080P",
            "ratio": "3:4",
            "duration": 5,
        },
        None,
        id="wan27-t2v-resolution-ratio",
    ),
    pytest.param(
        GenerationRequest(
            model="wan2.6-i2v-flash",
            prompt="The cat turns its head",
            seconds=3,
            size="1920x1080",
            audio=False,
            input_reference=PNG_URL,
        ),
        {
            "model": "wan2.6-i2v-flash",
            "prompt": "The cat turns its head",
            "img_url": PNG_URL,
            "resolution": "1080P",
            "duration": 3,
            "audio": False,
        },
        ImageInput(PNG, "image/png"),
        id="legacy-i2v-img_url",
    ),
    pytest.param(
        GenerationRequest(model="wan2.7-i2v", prompt="dance", seconds=8, seed=7, input_reference=PNG_URL),
        {
            "model": "wan2.7-i2v",
            "prompt": "dance",
            "media": [{"type": VideoSynthesis.MediaType.FIRST_FRAME, "url": PNG_URL}],
            "resolution": "720P",
            "duration": 8,
            "seed": 7,
        },
        ImageInput(PNG, "image/png"),
        id="wan27-i2v-media",
    ),
]


@pytest.mark.parametrize(("request_", "sdk_kwargs", "image"), CREATES)
def test_create_matches_the_sdk(
    sdk: None,
    adapter: DashScopeVideos,
    loop: asyncio.AbstractEventLoop,
    server: FakeServer,
    request_: GenerationRequest,
    sdk_kwargs: dict[str, Any],
    image: ImageInput | None,
) -> None:
    answers: list[VideoSynthesisResponse] = []
    theirs = calls_during(
        server, lambda: answers.append(VideoSynthesis.async_call(api_key=KEY, **sdk_kwargs))
    )
    job = job_for(adapter, request_)
    ours = calls_during(server, lambda: loop.run_until_complete(adapter.submit(job, None, image)))
    assert len(theirs) == len(ours) == 1
    assert wire(ours[0]) == wire(theirs[0])
    assert wire(ours[0])["x-dashscope-async"] == "enable"
    assert wire(ours[0])["authorization"] == f"Bearer {KEY}"
    (answer,) = answers  # the fake's create answer, read by the SDK
    assert isinstance(answer, VideoSynthesisResponse) and answer.status_code == 200
    assert isinstance(answer.output, VideoSynthesisOutput) and answer.output.task_status == "PENDING"


def test_poll_and_download_match_the_sdk(
    sdk: None,
    adapter: DashScopeVideos,
    loop: asyncio.AbstractEventLoop,
    server: FakeServer,
    fake: DashScopeFake,
    tmp_path: Path,
) -> None:
    job = job_for(adapter, GenerationRequest(model="wan2.6-t2v", prompt="a lighthouse", size="1280x720"))
    submitted = loop.run_until_complete(adapter.submit(job))
    job = JobRecord(**{**job.__dict__, "upstream_id": submitted.upstream_id})
    seen: list[VideoSynthesisResponse] = []
    theirs = calls_during(
        server, lambda: seen.append(VideoSynthesis.fetch(submitted.upstream_id, api_key=KEY))
    )
    outcomes = []
    ours = calls_during(
        server,
        lambda: outcomes.append(loop.run_until_complete(adapter.advance(job, StagingContext(tmp_path)))),
    )
    assert wire(ours[0]) == wire(theirs[0])
    assert wire(ours[0])["x-dashscope-async"] is None and wire(ours[0])["body"] is None
    assert seen[0].output.task_status == "PENDING"  # the SDK's poll came first
    assert outcomes[0] == Pending(JobStatus.IN_PROGRESS, None, 5.0)  # RUNNING, as ours
    outcome = loop.run_until_complete(adapter.advance(job, StagingContext(tmp_path)))  # SUCCEEDED
    assert isinstance(outcome, Completed)
    assert outcome.files["video"].read_bytes() == sample_media()["video"]
    done = VideoSynthesis.fetch(submitted.upstream_id, api_key=KEY)  # the same answer, through the SDK
    assert done.status_code == 200 and done.output.task_status == "SUCCEEDED"
    assert done.output.video_url.startswith(f"{server.url}/cdn/")
    assert isinstance(done.usage, VideoSynthesisUsage) and done.usage.duration == 5


def test_failed_and_unknown_tasks_read_alike(
    sdk: None, adapter: DashScopeVideos, loop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    failing = job_for(adapter, GenerationRequest(model="wan2.6-t2v", prompt="FAIL it"))
    task_id = loop.run_until_complete(adapter.submit(failing)).upstream_id
    failing = JobRecord(**{**failing.__dict__, "upstream_id": task_id})
    for _ in range(2):  # PENDING, RUNNING
        VideoSynthesis.fetch(task_id, api_key=KEY)
    theirs = VideoSynthesis.fetch(task_id, api_key=KEY)
    assert theirs.status_code == 200 and theirs.output.task_status == "FAILED"  # HTTP 200, not an error
    ours = loop.run_until_complete(adapter.advance(failing, StagingContext(tmp_path)))
    assert ours == Failed(theirs.output.code, theirs.output.message)
    assert ours.code == "DataInspectionFailed"

    unknown = VideoSynthesis.fetch("00000000-0000-0000-0000-000000000000", api_key=KEY)
    assert unknown.status_code == 200 and unknown.output.task_status == TaskStatus.UNKNOWN
    gone = JobRecord(**{**failing.__dict__, "upstream_id": "00000000-0000-0000-0000-000000000000"})
    assert loop.run_until_complete(adapter.advance(gone, StagingContext(tmp_path))).code == "task_unknown"  # type: ignore[union-attr]


def test_cancel_matches_the_sdk(
    sdk: None, adapter: DashScopeVideos, loop: asyncio.AbstractEventLoop, server: FakeServer, fake
) -> None:
    job = job_for(adapter, GenerationRequest(model="wan2.6-t2v", prompt="queued"))
    first = loop.run_until_complete(adapter.submit(job)).upstream_id
    second = VideoSynthesis.async_call(model="wan2.6-t2v", prompt="queued", api_key=KEY).output.task_id
    answers: list[DashScopeAPIResponse] = []
    theirs = calls_during(server, lambda: answers.append(VideoSynthesis.cancel(second, api_key=KEY)))
    queued = JobRecord(**{**job.__dict__, "upstream_id": first})
    ours = calls_during(server, lambda: loop.run_until_complete(adapter.cancel(queued)))
    assert wire(ours[0], first) == wire(theirs[0], second)
    assert wire(ours[0])["path"] == f"/api/v1/tasks/{first}/cancel" and wire(ours[0])["body"] is None
    assert answers[0].status_code == 200 and fake.tasks[first]["status"] == "CANCELED"
    canceled = VideoSynthesis.fetch(first, api_key=KEY)
    assert canceled.output.task_status == TaskStatus.CANCELED

    again = VideoSynthesis.cancel(first, api_key=KEY)  # no longer PENDING: DashScope refuses
    assert again.status_code == 400 and again.code == "UnsupportedOperation"
    loop.run_until_complete(adapter.cancel(queued))  # ...and the adapter takes that as done
    running = JobRecord(**{**queued.__dict__, "status": JobStatus.IN_PROGRESS})
    assert calls_during(server, lambda: loop.run_until_complete(adapter.cancel(running))) == []


def test_the_sdk_parses_every_error_the_fake_gives(sdk: None, server: FakeServer, monkeypatch) -> None:
    bad_key = VideoSynthesis.async_call(model="wan2.6-t2v", prompt="x", api_key="sk-wrong")
    assert (bad_key.status_code, bad_key.code) == (401, "InvalidApiKey") and bad_key.output is None
    assert bad_key.request_id
    refused = VideoSynthesis.async_call(model="wan2.6-t2v", prompt="x", size="1234*567", api_key=KEY)
    assert (refused.status_code, refused.code) == (400, "InvalidParameter")
    assert "size" in refused.message
    no_model = VideoSynthesis.async_call(model="wan9-t2v", prompt="x", api_key=KEY)
    assert (no_model.status_code, no_model.message) == (400, "Model not exist.")
    throttled = {
        "request_id": "r-9",
        "code": "Throttling.RateQuota",
        "message": "Requests rate limit exceeded",
    }
    server.app.inject(Fault("status", 429, body=throttled, method="POST"))
    answer = VideoSynthesis.async_call(model="wan2.6-t2v", prompt="x", api_key=KEY)
    assert (answer.status_code, answer.code, answer.request_id) == (429, "Throttling.RateQuota", "r-9")


def test_the_aio_client_polls_with_a_trailing_slash_and_the_fake_answers(
    sdk: None, server: FakeServer
) -> None:
    async def run() -> VideoSynthesisResponse:
        try:
            created = await AioVideoSynthesis.async_call(model="wan2.6-t2v", prompt="aio", api_key=KEY)
            return await AioVideoSynthesis.fetch(created.output.task_id, api_key=KEY)
        finally:  # the SDK keeps one aiohttp session per loop until told (else "Unclosed client session")
            await close_shared_aio_session()

    answers: list[VideoSynthesisResponse] = []
    calls = calls_during(server, lambda: answers.append(asyncio.run(run())))
    assert calls[-1].path.endswith("/") and calls[-1].method == "GET"
    assert answers[0].status_code == 200 and answers[0].output.task_status == "PENDING"


def test_the_task_statuses_the_sdk_knows_are_all_read() -> None:
    sdk_statuses = {v for k, v in vars(TaskStatus).items() if not k.startswith("_")}
    finished = {"SUCCEEDED", "FAILED", "CANCELED", "UNKNOWN"}
    assert sdk_statuses - finished - set(STATUS) == UNNAMED_STATUSES


def test_the_catalog_uses_the_media_protocol_exactly_where_the_sdk_does() -> None:
    models = Catalog.load().entry("dashscope").models
    for name, spec in models.items():
        assert spec.image_input == image_to_video(name), name
        if image_to_video(name):  # where the protocols differ: how the image is sent
            assert sdk_videos._uses_media_protocol(name) == media_protocol(name), name
            assert sdk_videos._uses_media_protocol(f"{name}-2026-04-25") == media_protocol(
                f"{name}-2026-04-25"
            )
        assert "kf2v" not in name  # the SDK sends those to another path (image2video), the adapter does not
    assert VideoSynthesis.MediaType.FIRST_FRAME == "first_frame"
