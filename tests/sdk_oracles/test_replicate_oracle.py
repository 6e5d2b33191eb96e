"""The official `replicate` SDK (1.0.x) as the oracle for what the `replicate` adapter sends.

Both are pointed at the same loopback fake of Replicate's predictions API
(tests/fakes/hosted_platforms.py), make the same calls for the same inputs (create for a model,
create with an image, create for a pinned version, get, cancel), and their recorded requests are
compared: method, path, query, the headers that matter and the JSON body. Every body the fake
serves is validated with the SDK's own `Prediction` model and its problem-details parser.

Replicate is open-ended (`open_models: true`): the SDK declares no model names or per-model values
(each model's inputs are its own OpenAPI schema, fetched at run time), so there is no catalog to
hold against SDK Literals; the one Literal it has, the prediction status, is held against the
adapter's status table instead.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import time
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import replicate
from pydantic import SecretStr
from pydantic.v1 import ValidationError
from replicate.exceptions import ReplicateError
from replicate.prediction import Prediction

from tests.fakes.harness import Call, FakeServer, Fault, png_bytes
from tests.fakes.hosted_platforms import REPLICATE_TOKEN, REPLICATE_VERSIONS, ReplicateFake
from tests.support.job_context import StagingContext
from vidgate.catalog import Catalog
from vidgate.config import ProviderSettings
from vidgate.domain import ImageInput, JobRecord, JobStatus
from vidgate.providers.base import GenerationRequest, Pending, Submitted
from vidgate.providers.hosted import ReplicateVideos
from vidgate.upstream import UpstreamError

VERSION = next(iter(REPLICATE_VERSIONS))

# Differences between what the SDK sends and what the adapter sends, each accepted for a reason.
ACCEPTED_DIFFERENCES = {
    "header user-agent": "the SDK sends replicate-python/<version>; the adapter sends httpx's. Replicate "
    "requires none.",
    "image as a data URL": "the SDK's default uploads a file input to POST /v1/files and passes its URL; "
    "the adapter sends what the SDK sends with file_encoding_strategy='base64' (a data: URL inline), "
    "compared here against that mode. Large images make large JSON bodies.",
    "owner/name:version": "the SDK's models.predictions.create refuses it (ValueError); the adapter does "
    "what replicate.run and predictions.create(version=...) do: POST /v1/predictions with the version.",
    "status aborted": "the SDK's Prediction.status Literal lacks `aborted` (replicate-python PR #449), "
    "so its get raises ValidationError and run() polls forever (PR #460); the adapter fails the job.",
    "retries of a create": "the SDK retries only GET/PUT/DELETE/HEAD/OPTIONS/TRACE (on 429/503/504) and "
    "never a POST; the adapter's upstream client re-sends a create that was answered 408/429/5xx, and "
    "never one whose answer was lost.",
}
COMPARED_HEADERS = ("authorization", "content-type", "prefer", "accept")


@pytest.fixture(scope="module")
def fake() -> ReplicateFake:
    return ReplicateFake(polls_to_complete=3)


@pytest.fixture(scope="module")
def server(fake: ReplicateFake) -> Iterator[FakeServer]:
    with FakeServer(fake.app()) as server:
        yield server


@pytest.fixture(scope="module")
def sdk(server: FakeServer) -> Iterator[replicate.Client]:
    client = replicate.Client(api_token=REPLICATE_TOKEN, base_url=server.url)
    yield client
    client._client.close()


@pytest.fixture(scope="module")
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture(scope="module")
def adapter(server: FakeServer, loop: asyncio.AbstractEventLoop) -> Iterator[ReplicateVideos]:
    settings = ProviderSettings(
        api_key=SecretStr(REPLICATE_TOKEN),
        base_url=server.url,
        max_retry_wait_seconds=0.05,
        timeout_seconds=5,
    )
    provider = ReplicateVideos(settings)
    provider.catalog = Catalog.load().entry("replicate")
    yield provider
    loop.run_until_complete(provider.aclose())


def job_for(adapter: ReplicateVideos, request: GenerationRequest) -> JobRecord:
    prepared = adapter.prepare(request)
    return JobRecord(
        id="job_oracle",
        tenant="t",
        provider="replicate",
        model=prepared.model,
        status=JobStatus.QUEUED,
        prompt=request.prompt,
        seconds=prepared.seconds,
        size=prepared.size,
        created_at=int(time.time()),
        params=prepared.params,
    )


def recorded(server: FakeServer, action: Callable[[], Any]) -> tuple[Any, list[Call]]:
    before = len(server.app.calls)
    result = action()
    return result, server.app.calls[before:]


def shape(call: Call) -> dict[str, Any]:
    """What is compared of a request: method, path, query, the headers that matter, the JSON body."""
    return {
        "method": call.method,
        "path": call.path,
        "query": dict(httpx.QueryParams(call.query)),
        "headers": {h: call.headers.get(h) for h in COMPARED_HEADERS},
        "json": json.loads(call.body) if call.body else None,
    }


def assert_same_request(sdk_calls: list[Call], adapter_calls: list[Call]) -> dict[str, Any]:
    assert len(sdk_calls) == len(adapter_calls) == 1, (sdk_calls, adapter_calls)
    ours, theirs = shape(adapter_calls[0]), shape(sdk_calls[0])
    assert ours == theirs
    assert ours["headers"]["authorization"] == f"Bearer {REPLICATE_TOKEN}"
    assert sdk_calls[0].headers["user-agent"].startswith("replicate-python/")  # accepted difference
    return ours


def submit(adapter: ReplicateVideos, loop, job: JobRecord, image: ImageInput | None = None) -> Submitted:  # type: ignore[no-untyped-def]
    return loop.run_until_complete(adapter.submit(job, None, image))


def test_create_for_a_model_get_and_cancel_match_the_sdk(sdk, adapter, server, loop) -> None:
    request = GenerationRequest(
        model="google/veo-3", prompt="a lighthouse", seconds=8, size="1280x720", seed=9, negative_prompt="fog"
    )
    inputs = {
        "prompt": "a lighthouse",
        "duration": 8,
        "aspect_ratio": "16:9",
        "seed": 9,
        "negative_prompt": "fog",
    }
    job = job_for(adapter, request)
    submitted, ours = recorded(server, lambda: submit(adapter, loop, job))
    created, theirs = recorded(
        server, lambda: sdk.models.predictions.create(model="google/veo-3", input=inputs)
    )
    sent = assert_same_request(theirs, ours)
    assert sent["method"] == "POST" and sent["path"] == "/v1/models/google/veo-3/predictions"
    assert sent["json"] == {"input": inputs} and sent["headers"]["prefer"] is None  # asynchronous, no wait
    assert sent["headers"]["content-type"] == "application/json"
    assert created.status == "starting" and created.id != submitted.upstream_id
    job = dataclasses.replace(job, upstream_id=submitted.upstream_id)

    outcome, ours = recorded(
        server, lambda: loop.run_until_complete(adapter.advance(job, StagingContext(Path("/nonexistent"))))
    )
    got, theirs = recorded(server, lambda: sdk.predictions.get(created.id))
    assert shape(ours[0]) | {"path": None} == shape(theirs[0]) | {"path": None}
    assert [c.path for c in ours + theirs] == [
        f"/v1/predictions/{job.upstream_id}",
        f"/v1/predictions/{created.id}",
    ]
    assert isinstance(outcome, Pending) and outcome.status == JobStatus.QUEUED and got.status == "starting"

    _, ours = recorded(server, lambda: loop.run_until_complete(adapter.cancel(job)))
    cancelled, theirs = recorded(server, lambda: sdk.predictions.cancel(created.id))
    assert shape(ours[0]) | {"path": None} == shape(theirs[0]) | {"path": None}
    assert [c.path for c in ours + theirs] == [
        f"/v1/predictions/{job.upstream_id}/cancel",
        f"/v1/predictions/{created.id}/cancel",
    ]
    assert ours[0].method == "POST" and not ours[0].body and not theirs[0].body
    assert cancelled.status == "canceled"


def test_create_with_an_image_matches_the_sdks_base64_mode(sdk, adapter, server, loop, tmp_path) -> None:
    (tmp_path / "ref.png").write_bytes(png_bytes())
    job = job_for(adapter, GenerationRequest(model="kwaivgi/kling-v2.1", prompt="wake up", seconds=5))
    _, ours = recorded(server, lambda: submit(adapter, loop, job, ImageInput(png_bytes(), "image/png")))
    _, theirs = recorded(
        server,
        lambda: sdk.models.predictions.create(
            model="kwaivgi/kling-v2.1",
            input={"prompt": "wake up", "duration": 5, "image": tmp_path / "ref.png"},
            file_encoding_strategy="base64",
        ),
    )
    sent = assert_same_request(theirs, ours)
    assert sent["json"]["input"]["image"].startswith("data:image/png;base64,")


def test_a_pinned_version_is_created_as_the_sdk_creates_a_version(sdk, adapter, server, loop) -> None:
    job = job_for(adapter, GenerationRequest(model=f"acme/clip-maker:{VERSION}", prompt="pinned", seconds=4))
    _, ours = recorded(server, lambda: submit(adapter, loop, job))
    created, theirs = recorded(
        server, lambda: sdk.predictions.create(version=VERSION, input={"prompt": "pinned", "duration": 4})
    )
    sent = assert_same_request(theirs, ours)
    assert sent["path"] == "/v1/predictions"
    assert sent["json"] == {"version": VERSION, "input": {"prompt": "pinned", "duration": 4}}
    assert created.version == VERSION and created.model == "acme/clip-maker"
    # what the SDK refuses on the model route, and what replicate.run() does with it instead
    with pytest.raises(ValueError, match="version"):
        sdk.models.predictions.create(model=f"acme/clip-maker:{VERSION}", input={"prompt": "x"})


def test_an_aborted_prediction_fails_the_job_where_the_sdk_cannot_even_parse_it(
    sdk, adapter, server, fake, loop, tmp_path
) -> None:
    job = job_for(adapter, GenerationRequest(model="google/veo-3", prompt="ABORT: deadline"))
    job = dataclasses.replace(job, upstream_id=submit(adapter, loop, job).upstream_id)
    outcomes = [
        loop.run_until_complete(adapter.advance(job, StagingContext(tmp_path)))
        for _ in range(fake.polls_to_complete)
    ]
    assert fake.predictions[job.upstream_id]["status"] == "aborted"
    assert all(isinstance(o, Pending) for o in outcomes[:-1])
    assert outcomes[-1].code == "aborted"  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="aborted"):
        sdk.predictions.get(job.upstream_id)


def test_problem_details_read_as_the_sdk_reads_them(sdk, adapter, server, loop) -> None:
    job = job_for(adapter, GenerationRequest(model=f"acme/clip-maker:{'0' * 64}", prompt="x"))
    with pytest.raises(ReplicateError) as theirs:
        sdk.predictions.create(version="0" * 64, input={"prompt": "x"})
    with pytest.raises(UpstreamError) as ours:
        submit(adapter, loop, job)
    assert ours.value.status == theirs.value.status == 422 and not ours.value.retryable
    assert ours.value.message == f"{theirs.value.title}: {theirs.value.detail}"

    # a missing prompt: the fake's own validation, in the shape the SDK parses
    with pytest.raises(ReplicateError) as refused:
        sdk.models.predictions.create(model="google/veo-3", input={"duration": 5})
    assert (refused.value.title, refused.value.status) == ("Input validation failed", 422)
    denied = replicate.Client(api_token="r8_wrong", base_url=str(sdk._base_url))
    with pytest.raises(ReplicateError) as unauthenticated:
        denied.predictions.get("pred0001")
    denied._client.close()
    assert unauthenticated.value.title == "Unauthenticated" and unauthenticated.value.status == 401


def test_a_create_answered_429_is_resent_by_the_adapter_but_not_by_the_sdk(
    sdk, adapter, server, fake, loop
) -> None:
    create = "^/v1/models/google/veo-3/predictions$"
    throttled = {"title": "Request was throttled", "detail": "Expected available in 1 second.", "status": 429}
    server.app.inject(
        Fault("status", 429, headers={"retry-after": "0"}, body=throttled, method="POST", path=create)
    )
    with pytest.raises(ReplicateError) as theirs:
        sdk.models.predictions.create(model="google/veo-3", input={"prompt": "x"})
    assert theirs.value.status == 429
    server.app.inject(
        Fault("status", 429, headers={"retry-after": "0"}, body=throttled, method="POST", path=create)
    )
    before = len(fake.predictions)
    _, ours = recorded(
        server,
        lambda: submit(adapter, loop, job_for(adapter, GenerationRequest(model="google/veo-3", prompt="x"))),
    )
    assert [c.method for c in ours] == ["POST", "POST"] and len(fake.predictions) == before + 1

    server.app.inject(Fault("lost_answer", method="POST", path=create))
    before = len(fake.predictions)
    with pytest.raises(UpstreamError) as lost:
        submit(adapter, loop, job_for(adapter, GenerationRequest(model="google/veo-3", prompt="lost")))
    assert lost.value.ambiguous and len(fake.predictions) == before + 1  # acted on once, never re-sent


def test_every_body_the_fake_served_parses_into_the_sdks_types(sdk, fake) -> None:
    """Every answer the fake served in this module, and here every status on its own, validated
    with the SDK's `Prediction` (pydantic v1, strict about `status`) and `ReplicateError`."""
    done = sdk.models.predictions.create(model="google/veo-3", input={"prompt": "every shape"})
    failed = sdk.models.predictions.create(model="google/veo-3", input={"prompt": "FAIL on purpose"})
    seen = [sdk.predictions.get(done.id).status for _ in range(fake.polls_to_complete)]
    assert seen == ["starting", "processing", "succeeded"], seen
    assert sdk.predictions.get(done.id).output.endswith(f"/files/{done.id}.mp4")
    for _ in range(fake.polls_to_complete):
        last = sdk.predictions.get(failed.id)
    assert last.status == "failed" and last.error
    with pytest.raises(ReplicateError) as missing:
        sdk.predictions.get("no-such-prediction")
    assert missing.value.status == 404

    statuses, kinds = set(), set()
    allowed = set(typing.get_args(Prediction.__fields__["status"].outer_type_))
    for kind, body in fake.served:
        kinds.add(kind)
        if kind == "prediction" and body["status"] not in allowed:
            assert body["status"] == "aborted", body  # the one status the SDK lacks (PR #449)
            with pytest.raises(ValidationError):
                Prediction.parse_obj(body)
            statuses.add(body["status"])
        elif kind == "prediction":
            statuses.add(Prediction.parse_obj(body).status)
        else:
            error = ReplicateError.from_response(httpx.Response(body["status"], json=body))
            assert (error.title, error.detail, error.status) == (
                body["title"],
                body["detail"],
                body["status"],
            )
    assert statuses == {"starting", "processing", "succeeded", "failed", "canceled", "aborted"}
    assert kinds == {"prediction", "error"}


def test_the_adapters_statuses_cover_the_sdks_literal_and_aborted() -> None:
    sdk_statuses = set(typing.get_args(Prediction.__fields__["status"].outer_type_))
    ours = set(ReplicateVideos.STATUS) | set(ReplicateVideos.FINISHED) | {"succeeded"}
    assert sdk_statuses <= ours, "the SDK knows a status the adapter does not: map it"
    assert ours - sdk_statuses == {"aborted"}, (
        "the SDK now has aborted (PR #449): drop it from ACCEPTED_DIFFERENCES"
    )
