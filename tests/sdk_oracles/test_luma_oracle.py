"""The official `lumaai` SDK as the oracle for what the `luma` adapter sends.

Both are pointed at the same loopback fake of Luma's Dream Machine API (tests/fakes/luma.py), make
the same calls for the same inputs (create text-to-video, create image-to-video, get, list, delete),
and their recorded requests are compared: method, path, query, the headers that matter and the
JSON body. Every body the fake serves is validated with the SDK's own response types, and the
catalog and the adapter's names are held against the SDK's Literal types, so an SDK upgrade that
changes them fails here.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import time
import typing
from collections.abc import Callable, Iterator
from typing import Any, get_args

import httpx
import lumaai
import pytest
from lumaai.types import Generation, GenerationListResponse
from lumaai.types.generations.video_create_params import VideoCreateParams
from pydantic import SecretStr

from tests.fakes.harness import Call, FakeServer, Fault, sample_media
from tests.fakes.luma import KEY, PREFIX, LumaFake
from tests.support.job_context import StagingContext
from vidgate.catalog import Catalog
from vidgate.config import ProviderSettings
from vidgate.domain import JobRecord, JobStatus
from vidgate.providers.base import Completed, GenerationRequest, Pending, Submitted
from vidgate.providers.luma import FRAMES, RATIOS, RESOLUTIONS, STATUS, LumaDreamMachine
from vidgate.upstream import UpstreamError

IMAGE_URL = "https://images.example.test/start.png"

# Differences between what the SDK sends and what the adapter sends, each accepted for a reason.
ACCEPTED_DIFFERENCES = {
    "header accept": "the SDK asks for application/json (*/* on DELETE); the adapter sends httpx's "
    "*/*. Luma has no content negotiation: it answers JSON (204 on delete) either way.",
    "header content-type on DELETE": "the SDK keeps content-type: application/json on a DELETE with "
    "no body; the adapter sends no body and so no content type.",
    "headers user-agent, x-stainless-*": "SDK telemetry (LumaAI/Python <version>, retry count, OS, "
    "runtime); Luma requires none of them.",
    "re-send after a lost answer": "the SDK retries a create after a connection error with no "
    "idempotency key, which makes a second generation (and a second charge); the adapter never "
    "re-sends a create whose answer was lost, and looks the generation up by listing instead "
    "(test_a_lost_answer_is_resent_by_the_sdk_but_never_by_the_adapter).",
}
COMPARED_HEADERS = ("authorization", "content-type", "idempotency-key", "x-api-version")


@pytest.fixture(scope="module")
def fake() -> LumaFake:
    return LumaFake(polls_to_complete=2)


@pytest.fixture(scope="module")
def server(fake: LumaFake) -> Iterator[FakeServer]:
    with FakeServer(fake.app()) as server:
        yield server


@pytest.fixture(scope="module")
def sdk(server: FakeServer) -> lumaai.LumaAI:
    return lumaai.LumaAI(base_url=server.url + PREFIX, auth_token=KEY, max_retries=2)


@pytest.fixture(scope="module")
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture(scope="module")
def adapter(server: FakeServer, loop: asyncio.AbstractEventLoop) -> Iterator[LumaDreamMachine]:
    settings = ProviderSettings(
        api_key=SecretStr(KEY), base_url=server.url + PREFIX, max_retry_wait_seconds=0.05, timeout_seconds=5
    )
    provider = LumaDreamMachine(settings)
    provider.catalog = Catalog.load().entry("luma")
    yield provider
    loop.run_until_complete(provider.aclose())


def job_for(adapter: LumaDreamMachine, request: GenerationRequest) -> JobRecord:
    prepared = adapter.prepare(request)
    return JobRecord(
        id="job_oracle",
        tenant="t",
        provider="luma",
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
    headers = {h: call.headers.get(h) for h in COMPARED_HEADERS}
    if not call.body:
        headers.pop("content-type")  # accepted: the SDK's content type on a bodiless DELETE
    return {
        "method": call.method,
        "path": call.path,
        "query": dict(httpx.QueryParams(call.query)),
        "headers": headers,
        "json": json.loads(call.body) if call.body else None,
    }


def assert_same_request(sdk_calls: list[Call], adapter_calls: list[Call]) -> dict[str, Any]:
    assert len(sdk_calls) == len(adapter_calls) == 1, (sdk_calls, adapter_calls)
    ours, theirs = shape(adapter_calls[0]), shape(sdk_calls[0])
    assert ours == theirs
    assert ours["headers"]["authorization"] == f"Bearer {KEY}"
    return ours


CASES = {
    "text-to-video": (
        GenerationRequest(model="ray-2", prompt="a paper boat in a rainy gutter", seconds=9, size="720x1280"),
        {
            "model": "ray-2",
            "prompt": "a paper boat in a rainy gutter",
            "aspect_ratio": "9:16",
            "resolution": "720p",
            "duration": "9s",
        },
    ),
    "image-to-video": (
        GenerationRequest(
            model="ray-flash-2",
            prompt="slow zoom out, drifting clouds",
            seconds=5,
            size="2520x1080",
            input_reference=IMAGE_URL,
        ),
        {
            "model": "ray-flash-2",
            "prompt": "slow zoom out, drifting clouds",
            "aspect_ratio": "21:9",
            "resolution": "1080p",
            "duration": "5s",
            "keyframes": {"frame0": {"type": "image", "url": IMAGE_URL}},
        },
    ),
    "defaults": (
        GenerationRequest(model="ray-2", prompt="the model's defaults"),
        {
            "model": "ray-2",
            "prompt": "the model's defaults",
            "aspect_ratio": "16:9",
            "resolution": "720p",
            "duration": "5s",
        },
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_create_get_list_and_delete_match_the_sdk(case, sdk, adapter, server, fake, loop, tmp_path) -> None:
    request, sdk_args = CASES[case]
    job = job_for(adapter, request)

    submitted, ours = recorded(server, lambda: loop.run_until_complete(adapter.submit(job)))
    created, theirs = recorded(server, lambda: sdk.generations.video.create(**sdk_args))
    sent = assert_same_request(theirs, ours)
    assert sent["method"] == "POST" and sent["path"] == f"{PREFIX}/generations/video"
    assert (
        sent["headers"]["content-type"] == "application/json" and sent["headers"]["idempotency-key"] is None
    )
    assert (theirs[0].headers["accept"], ours[0].headers["accept"]) == ("application/json", "*/*")  # accepted
    assert isinstance(submitted, Submitted) and created.id != submitted.upstream_id
    job = dataclasses.replace(job, upstream_id=submitted.upstream_id)

    # get: the adapter's poll against the SDK's get, until the adapter has the video
    ctx = StagingContext(tmp_path)
    for _ in range(fake.polls_to_complete):
        outcome, ours = recorded(server, lambda: loop.run_until_complete(adapter.advance(job, ctx)))
        got, theirs = recorded(server, lambda: sdk.generations.get(job.upstream_id))
        ours = [c for c in ours if c.path.startswith(PREFIX)]  # not the CDN download
        assert_same_request(theirs, ours)
        assert isinstance(outcome, Pending | Completed)
    assert isinstance(outcome, Completed) and outcome.files["video"].read_bytes() == sample_media()["video"]
    assert got.state == "completed" and got.assets and got.assets.video

    # list: what `recover` asks (the newest first page), the same as the SDK's list
    found, ours = recorded(server, lambda: loop.run_until_complete(adapter.recover(job)))
    listing, theirs = recorded(server, lambda: sdk.generations.list(limit=100, offset=0))
    assert_same_request(theirs, ours)
    assert found is None  # the SDK made an identical generation: two match, so neither is adopted
    assert {job.upstream_id, created.id} <= {g.id for g in listing.generations}

    # delete: Luma's only way to stop a generation
    _, ours = recorded(server, lambda: loop.run_until_complete(adapter.cancel(job)))
    _, theirs = recorded(server, lambda: sdk.generations.delete(created.id))
    assert [c.path for c in (ours + theirs)] == [
        f"{PREFIX}/generations/{job.upstream_id}",
        f"{PREFIX}/generations/{created.id}",
    ]
    assert shape(ours[0]) | {"path": None} == shape(theirs[0]) | {"path": None}
    assert theirs[0].headers.get("content-type") == "application/json" and not theirs[0].body  # accepted
    assert "content-type" not in ours[0].headers and not ours[0].body


def test_recover_adopts_the_one_generation_made_from_the_jobs_body(adapter, server, loop) -> None:
    request, _ = CASES["image-to-video"]
    job = job_for(adapter, request)
    job = dataclasses.replace(job, prompt=f"recover me {time.time()}")  # unique on the account
    submitted = loop.run_until_complete(adapter.submit(job))
    assert loop.run_until_complete(adapter.recover(job)) == submitted
    other = dataclasses.replace(job, seconds=9)  # the same prompt with another duration is not this job
    assert loop.run_until_complete(adapter.recover(other)) is None


def test_a_lost_answer_is_resent_by_the_sdk_but_never_by_the_adapter(
    sdk, adapter, server, fake, loop
) -> None:
    request, sdk_args = CASES["text-to-video"]
    job = job_for(adapter, request)
    create = f"^{PREFIX}/generations/video$"

    server.app.inject(Fault("lost_answer", method="POST", path=create))
    before = fake.created
    with pytest.raises(UpstreamError) as lost:
        loop.run_until_complete(adapter.submit(job))
    assert lost.value.ambiguous and not lost.value.retryable
    assert fake.created == before + 1  # acted on once, never sent again

    server.app.inject(Fault("lost_answer", method="POST", path=create))
    before = fake.created
    sdk.generations.video.create(**sdk_args)
    assert fake.created == before + 2  # the SDK's retry made a duplicate generation


def test_errors_read_the_same_detail_the_sdk_reads(sdk, adapter, server, loop) -> None:
    create = f"^{PREFIX}/generations/video$"
    detail = {"detail": "Insufficient credits"}
    server.app.inject(Fault("status", 400, body=detail, method="POST", path=create))
    with pytest.raises(lumaai.BadRequestError) as theirs:
        sdk.generations.video.create(model="ray-2", prompt="x")
    job = job_for(adapter, GenerationRequest(model="ray-2", prompt="x"))
    server.app.inject(Fault("status", 400, body=detail, method="POST", path=create))
    with pytest.raises(UpstreamError) as ours:
        loop.run_until_complete(adapter.submit(job))
    assert theirs.value.body == detail and ours.value.message == detail["detail"]
    assert ours.value.status == 400 and not ours.value.retryable

    # a 429 is a rate limit to both, retried by both; after the retries it surfaces as a 429
    server.app.inject(
        Fault(
            "status",
            429,
            headers={"retry-after-ms": "10"},
            body={"detail": "Too many requests"},
            path=create,
            times=3,
        )
    )
    with pytest.raises(lumaai.RateLimitError):
        sdk.generations.video.create(model="ray-2", prompt="x")
    server.app.inject(Fault("status", 429, body={"detail": "Too many requests"}, path=create, times=10))
    try:
        with pytest.raises(UpstreamError) as limited:
            loop.run_until_complete(adapter.submit(job))
    finally:
        server.app.faults.clear()
    assert limited.value.status == 429 and limited.value.message == "Too many requests"

    # Luma's own refusals (the fake's checks) come back as the same {detail} the SDK parses
    with pytest.raises(lumaai.BadRequestError) as refused:
        sdk.generations.video.create(model="ray-2", prompt="x", duration="7s")
    assert refused.value.body == {"detail": "Invalid duration '7s': must be one of 5s, 9s"}
    bad = lumaai.LumaAI(base_url=sdk.base_url, auth_token="luma-wrong", max_retries=0)
    with pytest.raises(lumaai.AuthenticationError) as denied:
        bad.generations.get("any")
    assert denied.value.body == {"detail": "Invalid API key is provided"}


def test_every_body_the_fake_served_parses_into_the_sdks_types(sdk, fake) -> None:
    """Every answer the fake served in this module, and here every shape on its own (queued,
    dreaming, completed with assets, failed, an image-to-video echo, pages of the list, an error),
    validated with the SDK's own types (pydantic validation, not the SDK's lenient construct)."""
    done = sdk.generations.video.create(model="ray-flash-2", prompt="every shape", resolution="4k")
    image = sdk.generations.video.create(
        model="ray-2", keyframes={"frame0": {"type": "image", "url": IMAGE_URL}}, aspect_ratio="1:1"
    )
    failed = sdk.generations.video.create(model="ray-2", prompt="FAIL on purpose")
    states_seen = [sdk.generations.get(done.id).state for _ in range(fake.polls_to_complete)]
    assert states_seen[-1] == "completed", states_seen
    assert sdk.generations.get(image.id).request.keyframes.frame0.url == IMAGE_URL  # type: ignore[union-attr]
    assert sdk.generations.get(failed.id).state == "failed"
    assert sdk.generations.list(limit=1, offset=1).has_more
    with pytest.raises(lumaai.NotFoundError):
        sdk.generations.get("no-such-generation")

    kinds: dict[str, int] = {}
    states = set()
    for kind, body in fake.served:
        kinds[kind] = kinds.get(kind, 0) + 1
        if kind == "generation":
            states.add(Generation.model_validate(body).state)
        elif kind == "list":
            GenerationListResponse.model_validate(body)
        else:
            assert set(body) == {"detail"} and isinstance(body["detail"], str | list)
    assert states == {"queued", "dreaming", "completed", "failed"}
    assert kinds["list"] >= 1 and kinds["error"] >= 1


def literal_values(annotation: Any) -> set[str]:
    """The strings of a Literal, also inside Required[...] or Union[Literal[...], str]."""
    found: set[str] = set()
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return set(get_args(annotation))
    for arg in get_args(annotation):
        found |= literal_values(arg)
    return found


def test_the_catalog_and_the_adapters_names_match_the_sdks_literals() -> None:
    hints = typing.get_type_hints(VideoCreateParams, include_extras=True)
    entry = Catalog.load().entry("luma")
    available = {m for m, spec in entry.models.items() if not spec.retired()}
    retired = {m for m, spec in entry.models.items() if spec.retired()}
    assert available == literal_values(hints["model"]), "the SDK's models changed: update the catalog"
    assert not retired & literal_values(hints["model"]), "a model the catalog retired is back in the SDK"
    assert set(RATIOS) == literal_values(hints["aspect_ratio"])
    assert set(RESOLUTIONS) == literal_values(hints["resolution"])
    for name in available:
        spec = entry.models[name]
        assert spec.durations is not None and spec.sizes is not None
        assert {f"{s}s" for s in spec.durations} == literal_values(hints["duration"])
        assert set(spec.sizes) == set(FRAMES), f"{name}: a size the adapter cannot name, or one missing"
        assert {resolution for _, resolution in FRAMES.values()} == set(spec.price.per_second)  # type: ignore[union-attr]
    states = literal_values(Generation.model_fields["state"].annotation)
    assert states == set(STATUS) | {"completed", "failed"}
