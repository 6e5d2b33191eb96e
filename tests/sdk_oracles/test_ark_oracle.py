"""The official BytePlus SDK (`byteplus-python-sdk-v2`, `byteplussdkarkruntime.Ark`) as the oracle for
what the `ark` adapter sends: both drive the same loopback fake with the same inputs, and their
recorded requests must match, up to the differences listed in ACCEPTED_DIFFERENCES. Every body the
fake serves is parsed with the SDK's own response types, so the fake cannot drift from the API the
SDK was written for.

The SDK declares no model names, resolutions, ratios or durations (plain `str` / `int` parameters),
so the catalog cannot be held against it; what it does declare, the content item shapes (TypedDicts
with Literal types) and the create parameters, the adapter's bodies are held against below.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import inspect
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pydantic
import pytest
from byteplussdkarkruntime import Ark
from byteplussdkarkruntime._exceptions import (
    ArkAuthenticationError,
    ArkBadRequestError,
    ArkNotFoundError,
    ArkRateLimitError,
)
from byteplussdkarkruntime._models import construct_type
from byteplussdkarkruntime.resources.content_generation.tasks import Tasks
from byteplussdkarkruntime.types.content_generation.content_generation_task import ContentGenerationTask
from byteplussdkarkruntime.types.content_generation.content_generation_task_id import ContentGenerationTaskID
from byteplussdkarkruntime.types.content_generation.create_task_content_param import CreateTaskContentParam
from PIL import Image

from tests.fakes.ark import API_KEY, ArkFake
from tests.fakes.harness import Call, FakeServer, Fault
from tests.support.job_context import StagingContext
from vidgate.catalog import Catalog
from vidgate.config import ProviderSettings
from vidgate.domain import ImageInput, JobRecord, JobStatus
from vidgate.providers.ark import ArkVideos
from vidgate.providers.base import Completed, GenerationRequest, Pending

PROMPT = "A paper boat drifts on a quiet lake at sunrise"
ACCEPTED_DIFFERENCES = {
    "body: unset optional fields": "the SDK sends every create parameter it has, as JSON null when unset; "
    "the adapter leaves unset ones out (Ark takes both)",
    "header user-agent": "byteplus-sdk-python/1.0.0 from the SDK, python-httpx from the adapter",
    "header x-client-request-id": "the SDK makes up a request id for its own error reports; the adapter "
    "sends none (optional)",
}
# Headers that matter: the auth scheme, what is sent and what is wanted back. Ark has no version header
# (the version is the /api/v3 path).
HEADERS = ("authorization", "content-type", "accept")
# Fields the SDK's ContentGenerationTask declares required that ModelArk's answers leave out (its own
# docs' examples have none of them); anything else missing, or any field of the wrong type, fails.
ABSENT_IN_REAL_ANSWERS = {
    "subdivisionlevel",
    "fileformat",
    "frames",
    "revised_prompt",
    "draft_task_id",
    "content.last_frame_url",  # only with return_last_frame
    "content.file_url",
    "error",  # only on failed tasks
}
ABSENT_UNTIL_FINISHED = {"content", "usage", "seed", "resolution", "ratio", "duration", "framespersecond"}
ABSENT_UNTIL_FINISHED |= {"draft", "priority", "generate_audio"}


RATE_LIMITED = {
    "error": {
        "code": "RateLimitExceeded.EndpointRPMExceeded",
        "message": "The Requests Per Minute (RPM) limit of the associated endpoint for your account has "
        "been exceeded. Request id: 021764460800000deadbeef",
        "type": "TooManyRequests",
    }
}


@pytest.fixture(scope="module")
def fake() -> ArkFake:
    return ArkFake()


@pytest.fixture(scope="module")
def server(fake: ArkFake) -> Iterator[FakeServer]:
    with FakeServer(fake.app()) as srv:
        yield srv


@pytest.fixture(scope="module")
def base(server: FakeServer) -> str:
    return f"{server.url}/api/v3"


@pytest.fixture(scope="module")
def sdk(base: str) -> Ark:
    return Ark(base_url=base, api_key=API_KEY, max_retries=0, timeout=10)


@pytest.fixture(scope="module")
def adapter(base: str) -> Iterator[ArkVideos]:
    provider = ArkVideos(ProviderSettings(api_key=API_KEY, base_url=base, max_retries=0, timeout_seconds=10))
    provider.catalog = Catalog.load().entry("ark")
    yield provider
    run(provider.aclose())
    LOOP.close()


LOOP = asyncio.new_event_loop()  # the adapter's pooled client lives on one loop


def run(coroutine: Any) -> Any:
    return LOOP.run_until_complete(coroutine)


def png(width: int, height: int) -> ImageInput:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 160)).save(buf, "PNG")
    return ImageInput(buf.getvalue(), "image/png")


def job_for(adapter: ArkVideos, request: GenerationRequest) -> JobRecord:
    prepared = adapter.prepare(request)
    return JobRecord(
        id="job_oracle",
        tenant="oracle",
        provider="ark",
        model=prepared.model,
        status=JobStatus.QUEUED,
        prompt=request.prompt,
        seconds=prepared.seconds,
        size=prepared.size,
        created_at=0,
        params=prepared.params,
    )


def recorded(server: FakeServer, act: Callable[[], Any]) -> tuple[Any, Call]:
    before = len(server.app.calls)
    result = act()
    calls = server.app.calls[before:]
    assert len(calls) == 1, [(c.method, c.path) for c in calls]
    return result, calls[0]


def without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


def assert_same_request(ours: Call, theirs: Call) -> None:
    assert (ours.method, ours.path, ours.query) == (theirs.method, theirs.path, theirs.query)
    for name in HEADERS:
        assert ours.headers.get(name) == theirs.headers.get(name), name
    assert ours.headers["authorization"] == f"Bearer {API_KEY}"
    assert theirs.headers["user-agent"].startswith("byteplus-sdk-python")  # accepted difference
    assert "x-client-request-id" in theirs.headers and "x-client-request-id" not in ours.headers
    ours_body = json.loads(ours.body) if ours.body else None
    theirs_body = json.loads(theirs.body) if theirs.body else None
    if isinstance(theirs_body, dict):
        nulls = {k for k, v in theirs_body.items() if v is None}
        assert not nulls & set(ours_body or {}), "the adapter sent a null"
        theirs_body = without_nulls(theirs_body)  # accepted difference: explicit nulls
    assert ours_body == theirs_body


def test_create_text_to_video_matches_the_sdk(server: FakeServer, sdk: Ark, adapter: ArkVideos) -> None:
    job = job_for(
        adapter,
        GenerationRequest(
            model="seedance-1-5-pro-251215", prompt=PROMPT, seconds=5, size="1280x720", seed=42
        ),
    )
    submitted, ours = recorded(server, lambda: run(adapter.submit(job)))
    created, theirs = recorded(
        server,
        lambda: sdk.content_generation.tasks.create(
            model="seedance-1-5-pro-251215",
            content=[{"type": "text", "text": PROMPT}],
            resolution="720p",
            ratio="16:9",
            duration=5,
            seed=42,
            generate_audio=True,  # Ark's default for 1.5 pro, sent explicitly by the adapter
            watermark=False,
        ),
    )
    assert_same_request(ours, theirs)
    assert ours.path == "/api/v3/contents/generations/tasks"
    assert submitted.upstream_id.startswith("cgt-") and isinstance(created, ContentGenerationTaskID)


def test_create_image_to_video_matches_the_sdk(server: FakeServer, sdk: Ark, adapter: ArkVideos) -> None:
    image = png(640, 360)
    job = job_for(
        adapter,
        GenerationRequest(
            model="seedance-1-0-pro-250528",
            prompt="The girl smiles and waves",
            seconds=6,
            size="1088x1920",
            input_reference="data:...",
        ),
    )
    _, ours = recorded(server, lambda: run(adapter.submit(job, None, image)))
    _, theirs = recorded(
        server,
        lambda: sdk.content_generation.tasks.create(
            model="seedance-1-0-pro-250528",
            content=[
                {"type": "text", "text": "The girl smiles and waves"},
                {
                    "type": "image_url",
                    "image_url": {"url": "data:image/png;base64," + base64.b64encode(image.data).decode()},
                    "role": "first_frame",
                },
            ],
            resolution="1080p",
            ratio="9:16",
            duration=6,
            watermark=False,
        ),
    )
    assert_same_request(ours, theirs)


def test_poll_and_delete_match_the_sdk(
    server: FakeServer, fake: ArkFake, sdk: Ark, adapter: ArkVideos, tmp_path: Path
) -> None:
    job = job_for(adapter, GenerationRequest(model="dreamina-seedance-2-0-mini-260615", prompt=PROMPT))
    submitted = run(adapter.submit(job))
    job = dataclasses.replace(job, upstream_id=submitted.upstream_id)
    outcome, ours = recorded(server, lambda: run(adapter.advance(job, StagingContext(tmp_path))))
    task, theirs = recorded(server, lambda: sdk.content_generation.tasks.get(task_id=submitted.upstream_id))
    assert_same_request(ours, theirs)
    assert isinstance(outcome, Pending) and outcome.status == JobStatus.QUEUED
    assert task.status == "running"  # the fake moves on with every poll, whoever polls

    outcome = run(adapter.advance(job, StagingContext(tmp_path)))  # the third poll: succeeded
    assert isinstance(outcome, Completed) and outcome.files["video"].stat().st_size > 0

    finished = dict(fake.tasks[submitted.upstream_id])
    _, ours = recorded(server, lambda: run(adapter.cancel(job)))
    assert submitted.upstream_id in fake.deleted
    fake.tasks[submitted.upstream_id] = finished  # deleted by the adapter: again for the SDK
    deleted, theirs = recorded(server, lambda: sdk.content_generation.tasks.delete(submitted.upstream_id))
    assert_same_request(ours, theirs)  # both send {} as the body
    assert ours.method == "DELETE" and isinstance(deleted, ContentGenerationTask)


def test_adapter_bodies_take_only_what_the_sdk_declares(adapter: ArkVideos) -> None:
    """The create parameters and content item shapes are the SDK's (a renamed field fails here)."""
    create = inspect.getclosurevars(Tasks.create).nonlocals["func"]  # under @apikey_required
    parameters = set(inspect.signature(create).parameters) - {"self", "extra_headers", "extra_query"}
    parameters -= {"extra_body", "timeout"}
    assert {"model", "content", "resolution", "ratio", "duration"} <= parameters
    content = pydantic.TypeAdapter(CreateTaskContentParam)
    for model in ("seedance-1-0-pro-fast-251015", "dreamina-seedance-2-0-260128"):
        job = job_for(adapter, GenerationRequest(model=model, prompt=PROMPT, seed=1, size="1440x1440"))
        body = adapter.task_body(job, png(400, 400))
        assert set(body) <= parameters, set(body) - parameters
        for item in body["content"]:
            assert content.validate_python(item) == item  # extra keys would be dropped: unequal
        assert [i["type"] for i in body["content"]] == ["text", "image_url"]


def task_errors(body: dict[str, Any]) -> list[dict[str, Any]]:
    try:
        ContentGenerationTask.model_validate(body)
    except pydantic.ValidationError as exc:
        return list(exc.errors())
    return []


@pytest.mark.parametrize(
    ("prompt", "polls", "status"),
    [
        (PROMPT, 1, "queued"),
        (PROMPT, 2, "running"),
        (PROMPT, 3, "succeeded"),
        ("FAIL please", 3, "failed"),
        ("EXPIRE please", 3, "expired"),
    ],
)
def test_every_task_body_parses_with_the_sdk_types(
    fake: ArkFake, sdk: Ark, server: FakeServer, prompt: str, polls: int, status: str
) -> None:
    created = sdk.content_generation.tasks.create(
        model="seedance-1-5-pro-251215", content=[{"type": "text", "text": prompt}], duration=4
    )
    ContentGenerationTaskID.model_validate(
        httpx.post(  # the raw create answer, strictly
            f"{server.url}/api/v3/contents/generations/tasks",
            json={"model": "seedance-1-5-pro-251215", "content": [{"type": "text", "text": prompt}]},
            headers={"Authorization": f"Bearer {API_KEY}"},
        ).json()
    )
    for _ in range(polls - 1):
        sdk.content_generation.tasks.get(task_id=created.id)
    raw = httpx.get(
        f"{server.url}/api/v3/contents/generations/tasks/{created.id}",
        headers={"Authorization": f"Bearer {API_KEY}"},
    ).json()
    assert raw["status"] == status
    absent = ABSENT_IN_REAL_ANSWERS | (set() if status in ("succeeded", "failed") else ABSENT_UNTIL_FINISHED)
    if status == "failed":
        absent = (absent | {"content", "usage", "seed"}) - {"error"}
    errors = task_errors(raw)
    assert all(e["type"] == "missing" for e in errors), errors  # nothing of the wrong type
    assert {".".join(map(str, e["loc"])) for e in errors} <= absent
    parsed = construct_type(type_=ContentGenerationTask, value=raw)  # what the SDK does with answers
    assert isinstance(parsed, ContentGenerationTask) and parsed.status == status
    if status == "succeeded":
        task = sdk.content_generation.tasks.get(task_id=created.id)
        assert task.content.video_url.startswith(server.url) and task.usage.completion_tokens > 0
    if status == "failed":
        task = sdk.content_generation.tasks.get(task_id=created.id)
        assert task.error.code == "OutputVideoSensitiveContentDetected" and task.error.message


def test_error_bodies_parse_as_the_sdk_expects(server: FakeServer, sdk: Ark, base: str) -> None:
    tasks = sdk.content_generation.tasks
    with pytest.raises(ArkBadRequestError) as bad:
        tasks.create(model="seedance-1-5-pro-251215", content=[{"type": "text", "text": "UNSAFE"}])
    assert bad.value.code == "InputTextSensitiveContentDetected" and bad.value.type == "BadRequest"
    with pytest.raises(ArkBadRequestError) as bad:
        tasks.create(model="seedance-1-5-pro-251215", content=[{"type": "text", "text": "x"}], duration=3)
    assert bad.value.code == "InvalidParameter" and bad.value.param == "duration"
    with pytest.raises(ArkNotFoundError) as missing:
        tasks.create(model="seedance-1-0-lite-t2v-250428", content=[{"type": "text", "text": "x"}])
    assert missing.value.code == "InvalidEndpointOrModel.NotFound"
    with pytest.raises(ArkAuthenticationError) as denied:
        Ark(base_url=base, api_key="wrong", max_retries=0).content_generation.tasks.get(task_id="cgt-x")
    assert denied.value.code == "AuthenticationError"
    server.app.inject(
        Fault("status", 429, body=RATE_LIMITED, method="POST", path="/contents/generations/tasks$")
    )
    with pytest.raises(ArkRateLimitError) as limited:
        tasks.create(model="seedance-1-5-pro-251215", content=[{"type": "text", "text": "x"}])
    assert limited.value.code == "RateLimitExceeded.EndpointRPMExceeded"
