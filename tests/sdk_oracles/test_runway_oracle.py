"""The official `runwayml` SDK as the oracle for what the `runway` adapter sends and takes.

Both are pointed at the same loopback fake of Runway's API (tests/fakes/runway_api.py) and make the
same calls for the same inputs (create text to video, create image to video, retrieve, delete); their
recorded requests are compared: method, path, query, the headers that matter and the JSON body.
Every body the fake serves is parsed with the SDK's own response types. And the catalog is held
against the per-model request types the SDK declares (`runwayml.types.text_to_video_create_params`
and `image_to_video_create_params`, a TypedDict per model): every model the SDK declares is in the
catalog or left out here with its reason, and every duration, size, field and endpoint the catalog
offers is one the SDK declares, so a stale catalog fails when the SDK is upgraded.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pydantic
import pytest
import runwayml
from pydantic import SecretStr
from runwayml.types import ImageToVideoCreateResponse, TaskRetrieveResponse, TextToVideoCreateResponse

from tests.fakes.harness import Call, FakeServer, Fault, png_bytes, sample_media
from tests.fakes.runway_api import EDITS, KEY, Declared, RunwayFake, declared, refusal
from tests.support.job_context import StagingContext
from vidgate.catalog import Catalog, ModelSpec
from vidgate.config import ProviderSettings
from vidgate.domain import ImageInput, JobRecord, JobStatus, VideoInput
from vidgate.providers.base import Completed, GenerationRequest, Pending, SourceVideo
from vidgate.providers.runway import EDIT, IMAGE, TEXT, RunwayVideos, endpoints, request_body, takes
from vidgate.upstream import UpstreamError

SDK_VERSION = runwayml.__version__
PNG = ImageInput(png_bytes(), "image/png")

# Differences between what the SDK sends and what the adapter sends, each accepted for a reason.
ACCEPTED_DIFFERENCES = {
    "header accept": "the SDK asks for application/json (*/* on DELETE); the adapter sends httpx's */*. "
    "Runway answers JSON (204 on delete) either way.",
    "header content-type on DELETE": "the SDK keeps content-type: application/json on a DELETE with no "
    "body; the adapter sends no body and so no content type.",
    "headers user-agent, x-stainless-*": "SDK telemetry (RunwayML/Python <version>, retry count, OS, "
    "runtime); Runway requires none of them.",
    "409 retried": "the SDK also retries 409 Conflict; the adapter's client retries 408/429/5xx only, and "
    "a 409 is the caller's 400-class refusal.",
    "re-send after a lost answer": "the SDK retries a create after a connection error (max_retries=2 by "
    "default), which can make a second task and a second charge; the adapter never re-sends a create "
    "whose answer was lost (tests/providers/test_runway.py::test_a_lost_create_answer_is_never_sent_again).",
    "promptImage as [{uri, position}]": "the SDK also takes an array with first (and for some models last) "
    "frames; the adapter has one reference image and sends it as the plain data-URI string, a form every "
    "image-to-video model declares.",
}
COMPARED_HEADERS = ("authorization", "content-type", "x-runway-version")

# Models the SDK declares that the catalog deliberately does not offer, and why.
LEFT_OUT = {
    "h3_max": "it takes only a resolution tier (480p or 768p) and no aspect ratio on either endpoint, so "
    "the frame of its text to video is not documented and no size can be promised for it",
}
# Ratio and resolution values the SDK declares that are not offered as sizes, and why.
NOT_SIZES = {
    "adaptive": "hailuo3's `follow the references` ratio: not a size",
    "21:9": "hailuo3's 21:9 frames are not published (the minimax adapter leaves them out too)",
    "768P": "a deprecated spelling of 768p",
    "2K": "a deprecated spelling of 2k",
    "720P": "a deprecated spelling of 720p",
    "1080P": "a deprecated spelling of 1080p",
}
AUTO_IN_TEXT = {
    "auto_480p": "in text to video there is no image for `auto` to follow: the model picks the frame",
    "auto_720p": "(likewise)",
    "auto_1080p": "(likewise)",
}
PIXELS = re.compile(r"\d{3,}:\d{3,}")
# Endpoints whose pixel ratios are not offered, and why.
PIXEL_RATIOS_NOT_SENT = {
    (
        "image_to_video",
        "wan3",
    ): "with a first frame Runway requires auto_480p/720p/1080p (the SDK's docstring)",
    ("image_to_video", "wan3_prime"): "with a first frame Runway requires auto_480p/720p/1080p",
}


@pytest.fixture(scope="module")
def fake() -> RunwayFake:
    return RunwayFake(polls_to_complete=4)


@pytest.fixture(scope="module")
def server(fake: RunwayFake) -> Iterator[FakeServer]:
    with FakeServer(fake.app()) as server:
        yield server


@pytest.fixture(scope="module")
def sdk(server: FakeServer) -> runwayml.RunwayML:
    return runwayml.RunwayML(api_key=KEY, base_url=server.url, max_retries=0)


@pytest.fixture(scope="module")
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture(scope="module")
def catalog() -> dict[str, ModelSpec]:
    """The models Runway creates with; edit-only ones (aleph2) are held against video_to_video apart."""
    every = Catalog.load().entry("runway").models
    return {name: spec for name, spec in every.items() if endpoints(spec) or EDIT not in spec.upstream}


@pytest.fixture(scope="module")
def adapter(server: FakeServer, loop: asyncio.AbstractEventLoop) -> Iterator[RunwayVideos]:
    settings = ProviderSettings(api_key=SecretStr(KEY), base_url=server.url, max_retries=0, timeout_seconds=5)
    provider = RunwayVideos(settings)
    provider.catalog = Catalog.load().entry("runway")
    yield provider
    loop.run_until_complete(provider.aclose())


def job_for(adapter: RunwayVideos, request: GenerationRequest) -> JobRecord:
    prepared = adapter.prepare(request)
    return JobRecord(
        id="job_oracle",
        tenant="t",
        provider="runway",
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


def same_request(sdk_calls: list[Call], adapter_calls: list[Call]) -> dict[str, Any]:
    assert len(sdk_calls) == len(adapter_calls) == 1, (sdk_calls, adapter_calls)
    ours, theirs = shape(adapter_calls[0]), shape(sdk_calls[0])
    assert ours == theirs
    assert ours["headers"]["authorization"] == f"Bearer {KEY}"
    assert ours["headers"]["x-runway-version"] == "2024-11-06"
    return ours


# name -> (our request, with an image?, the SDK call for the same inputs)
CASES: dict[str, tuple[GenerationRequest, bool, Callable[[runwayml.RunwayML], Any]]] = {
    "text to video, gen4.5 with a seed": (
        GenerationRequest(model="gen4.5", prompt="A lighthouse at dusk", seconds=5, size="1280x720", seed=42),
        False,
        lambda sdk: sdk.text_to_video.create(
            model="gen4.5", prompt_text="A lighthouse at dusk", ratio="1280:720", duration=5, seed=42
        ),
    ),
    "text to video, veo3.1 with audio and a negative prompt": (
        GenerationRequest(
            model="veo3.1",
            prompt="A red kite over dunes",
            seconds=8,
            size="1920x1080",
            seed=7,
            audio=True,
            negative_prompt="text overlays",
        ),
        False,
        lambda sdk: sdk.text_to_video.create(
            model="veo3.1",
            prompt_text="A red kite over dunes",
            ratio="1920:1080",
            duration=8,
            seed=7,
            audio=True,
            negative_prompt="text overlays",
        ),
    ),
    "text to video, hailuo3 as an aspect ratio and a resolution": (
        GenerationRequest(model="hailuo3", prompt="Rain on a tin roof", seconds=10, size="1440x2560"),
        False,
        lambda sdk: sdk.text_to_video.create(
            model="hailuo3", prompt_text="Rain on a tin roof", ratio="9:16", resolution="2k", duration=10
        ),
    ),
    "text to video, seedance2_5 with its defaults": (
        GenerationRequest(model="seedance2_5", prompt="A paper boat"),
        False,
        lambda sdk: sdk.text_to_video.create(
            model="seedance2_5", prompt_text="A paper boat", ratio="1280:720", duration=5
        ),
    ),
    "image to video, gen4_turbo": (
        GenerationRequest(
            model="gen4_turbo",
            prompt="The cat turns its head",
            seconds=5,
            size="960x960",
            input_reference="https://images.example.test/cat.png",
        ),
        True,
        lambda sdk: sdk.image_to_video.create(
            model="gen4_turbo",
            prompt_image=PNG.data_url(),
            prompt_text="The cat turns its head",
            ratio="960:960",
            duration=5,
        ),
    ),
    "image to video, veo3.1_fast without audio": (
        GenerationRequest(
            model="veo3.1_fast",
            prompt="Morph",
            seconds=6,
            size="720x1280",
            audio=False,
            input_reference="https://images.example.test/first.png",
        ),
        True,
        lambda sdk: sdk.image_to_video.create(
            model="veo3.1_fast",
            prompt_image=PNG.data_url(),
            prompt_text="Morph",
            ratio="720:1280",
            duration=6,
            audio=False,
        ),
    ),
    "image to video, wan3 at auto_1080p": (
        GenerationRequest(
            model="wan3",
            prompt="Waves",
            seconds=7,
            size="1648x1248",
            input_reference="https://images.example.test/sea.png",
        ),
        True,
        lambda sdk: sdk.image_to_video.create(
            model="wan3", prompt_image=PNG.data_url(), prompt_text="Waves", ratio="auto_1080p", duration=7
        ),
    ),
    "image to video, kling2.5_turbo_pro following the image": (
        GenerationRequest(
            model="kling2.5_turbo_pro",
            prompt="A dancer",
            seconds=10,
            input_reference="https://images.example.test/dancer.png",
        ),
        True,
        lambda sdk: sdk.image_to_video.create(
            model="kling2.5_turbo_pro", prompt_image=PNG.data_url(), prompt_text="A dancer", duration=10
        ),
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_create_sends_what_the_sdk_sends(case, adapter, sdk, server, fake, loop) -> None:
    request, with_image, sdk_call = CASES[case]
    answer, sdk_calls = recorded(server, lambda: sdk_call(sdk))
    job = job_for(adapter, request)
    submitted, adapter_calls = recorded(
        server, lambda: loop.run_until_complete(adapter.submit(job, None, PNG if with_image else None))
    )
    sent = same_request(sdk_calls, adapter_calls)
    assert sent["path"] == ("/v1/image_to_video" if with_image else "/v1/text_to_video")
    assert isinstance(answer, ImageToVideoCreateResponse if with_image else TextToVideoCreateResponse)
    assert submitted.upstream_id in fake.tasks and answer.id in fake.tasks


def test_retrieve_and_delete_send_what_the_sdk_sends(adapter, sdk, server, fake, loop, tmp_path) -> None:
    request, _, _ = CASES["text to video, gen4.5 with a seed"]
    job = job_for(adapter, request)
    submitted = loop.run_until_complete(adapter.submit(job, None, None))
    job = dataclasses.replace(job, upstream_id=submitted.upstream_id)
    staging = StagingContext(tmp_path)
    outcomes = []
    while not isinstance(outcomes[-1] if outcomes else None, Completed):
        task, sdk_calls = recorded(server, lambda: sdk.tasks.retrieve(job.upstream_id))
        fake.tasks[job.upstream_id]["polls"] -= 1  # the SDK's look did not move the task on
        outcome, adapter_calls = recorded(
            server, lambda: loop.run_until_complete(adapter.advance(job, staging))
        )
        same_request(sdk_calls, adapter_calls[:1])  # (a finished task's advance also downloads it)
        outcomes.append(outcome)
        if isinstance(outcome, Pending):
            status = {"PENDING": "queued", "THROTTLED": "queued", "RUNNING": "in_progress"}[task.status]
            assert outcome.status.value == status
            if task.status == "RUNNING":
                assert outcome.progress == pytest.approx(task.progress * 100)
        assert len(outcomes) < 10
    assert [type(o).__name__ for o in outcomes] == ["Pending", "Pending", "Pending", "Completed"]
    assert outcomes[-1].files["video"].read_bytes() == sample_media()["video"]
    assert task.status == "SUCCEEDED" and task.output[0].startswith(server.url + "/cdn/")

    deleted, sdk_calls = recorded(server, lambda: sdk.tasks.delete(job.upstream_id))
    _, adapter_calls = recorded(server, lambda: loop.run_until_complete(adapter.cancel(job)))
    assert deleted is None
    assert same_request(sdk_calls, adapter_calls)["method"] == "DELETE"
    cancelled = sdk.tasks.retrieve(job.upstream_id)  # a deleted task reads CANCELLED
    assert cancelled.status == "CANCELLED"
    outcome = loop.run_until_complete(adapter.advance(job, staging))
    assert outcome.code == "cancelled"  # type: ignore[union-attr]


def test_a_failed_task_reads_the_same_to_both(adapter, sdk, fake, loop, tmp_path) -> None:
    request = GenerationRequest(model="gen4.5", prompt="FAIL please", seconds=5)
    job = job_for(adapter, request)
    submitted = loop.run_until_complete(adapter.submit(job, None, None))
    job = dataclasses.replace(job, upstream_id=submitted.upstream_id)
    task = sdk.tasks.retrieve(job.upstream_id)
    outcome = loop.run_until_complete(adapter.advance(job, StagingContext(tmp_path)))
    assert task.status == "FAILED"
    assert (outcome.code, outcome.message) == (task.failure_code, task.failure)  # type: ignore[union-attr]


def test_runways_error_body_reads_the_same_to_both(adapter, sdk, server, loop) -> None:
    body = {"error": "Validation of body failed: ratio is not one of the model's ratios"}
    server.app.inject(Fault("status", 400, body=body, method="POST", path="/v1/text_to_video", times=2))
    with pytest.raises(runwayml.BadRequestError) as sdk_error:
        CASES["text to video, gen4.5 with a seed"][2](sdk)
    job = job_for(adapter, CASES["text to video, gen4.5 with a seed"][0])
    with pytest.raises(UpstreamError) as ours:
        loop.run_until_complete(adapter.submit(job, None, None))
    assert sdk_error.value.body == body
    assert (ours.value.status, ours.value.message) == (400, body["error"])


def test_every_body_the_fake_serves_parses_as_the_sdks_types(adapter, sdk, fake, loop, tmp_path) -> None:
    # make sure every task state has been served at least once
    request = GenerationRequest(model="gen4.5", prompt="every state", seconds=5)
    job = job_for(adapter, request)
    submitted = loop.run_until_complete(adapter.submit(job, None, None))
    for _ in range(fake.polls_to_complete):
        sdk.tasks.retrieve(submitted.upstream_id)
    failed = sdk.text_to_video.create(model="gen4.5", prompt_text="FAIL", ratio="1280:720", duration=2)
    sdk.tasks.retrieve(failed.id)
    sdk.tasks.delete(failed.id)
    sdk.tasks.retrieve(failed.id)
    sdk.image_to_video.create(model="gen4_turbo", prompt_image=PNG.data_url(), ratio="1280:720")

    task_type = pydantic.TypeAdapter(TaskRetrieveResponse)
    statuses = set()
    kinds = {
        "text_to_video.create": TextToVideoCreateResponse,
        "image_to_video.create": ImageToVideoCreateResponse,
    }
    for what, body in fake.served:
        if what == "tasks.retrieve":
            parsed = task_type.validate_python(body)
            statuses.add(parsed.status)
        else:
            parsed = kinds[what].model_validate(body)
        assert not parsed.model_extra, (what, parsed.model_extra)  # nothing the SDK does not know
        assert set(parsed.to_dict()) == set(body), what  # and nothing it requires is missing
    assert statuses == {"PENDING", "THROTTLED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"}
    assert {what for what, _ in fake.served} >= set(kinds)


# --- the catalog against what the SDK declares -----------------------------------------------


def test_every_model_the_sdk_declares_is_in_the_catalog_or_left_out_for_a_reason(catalog) -> None:
    sdk_models = {model for _, model in declared()}
    offered = {name for name, spec in catalog.items() if not spec.retired() and endpoints(spec)}
    assert sdk_models - offered == set(LEFT_OUT), f"runwayml {SDK_VERSION} declares models the catalog lacks"
    assert not set(LEFT_OUT) & offered
    assert offered - sdk_models == set(), f"the catalog offers models runwayml {SDK_VERSION} does not declare"
    # the retired veo3 is what runwayml 5.14 removed; should it come back, its entry needs a look
    retired = {name for name, spec in catalog.items() if spec.retired()}
    assert retired == {"veo3"} and not retired & sdk_models


def test_each_model_has_the_endpoints_the_sdk_declares_for_it(catalog) -> None:
    for name, spec in catalog.items():
        if spec.retired():
            continue
        found = endpoints(spec)
        for endpoint in (TEXT, IMAGE):
            assert ((endpoint, name) in declared()) == (endpoint in found), (name, endpoint)
        assert spec.image_input == (IMAGE in found), name
        assert not spec.video_input and not spec.operations, name


def test_the_edit_models_are_those_the_sdk_declares_video_to_video_for() -> None:
    every = Catalog.load().entry("runway").models
    editors = {name for name, spec in every.items() if "edit" in spec.operations}
    assert editors == {"aleph2"}
    for name in editors:
        spec = every[name]
        assert spec.video_input and EDIT in spec.upstream and not endpoints(spec), name
        assert (EDITS, name) in declared((EDITS,)), f"runwayml declares no video_to_video for {name}"


def test_an_edit_sends_what_the_sdks_video_to_video_sends(adapter, sdk, server, fake, loop, tmp_path) -> None:
    clip = sample_media()["video"]
    source = SourceVideo(upload=VideoInput(clip, "video/mp4", seconds=4.0, width=1280, height=720, fps=24.0))
    prepared = adapter.prepare_edit(source, "aleph2", "the same street in snow")
    assert (prepared.seconds, prepared.size) == (4, "1280x720")
    job = JobRecord(
        id="job_oracle",
        tenant="t",
        provider="runway",
        model=prepared.model,
        status=JobStatus.QUEUED,
        prompt="the same street in snow",
        seconds=prepared.seconds,
        size=prepared.size,
        created_at=int(time.time()),
        params={"operation": "edit"},
    )
    answer, sdk_calls = recorded(
        server,
        lambda: sdk.video_to_video.create(
            model="aleph2", video_uri=source.upload.data_url(), prompt_text="the same street in snow"
        ),
    )
    submitted, adapter_calls = recorded(
        server, lambda: loop.run_until_complete(adapter.submit_operation(job, source))
    )
    sent = same_request(sdk_calls, adapter_calls)
    assert sent["path"] == "/v1/video_to_video" and sent["json"]["videoUri"].startswith(
        "data:video/mp4;base64,"
    )
    assert answer.id in fake.tasks and submitted.upstream_id in fake.tasks
    job = dataclasses.replace(job, upstream_id=submitted.upstream_id)
    outcome = None
    for _ in range(10):  # polled as any task
        outcome = loop.run_until_complete(adapter.advance(job, StagingContext(tmp_path)))
        if isinstance(outcome, Completed):
            break
    assert isinstance(outcome, Completed)


def declared_fields(name: str, spec: ModelSpec) -> list[Declared]:
    return [declared()[(endpoint, name)] for endpoint in endpoints(spec)]


def test_each_models_seconds_are_within_what_the_sdk_allows(catalog) -> None:
    for name, spec in catalog.items():
        if spec.retired():
            continue
        for decl in declared_fields(name, spec):
            allowed = decl.values("duration")
            assert allowed is not None, (name, decl.endpoint)
            ints = [v for v in allowed if isinstance(v, int) and not isinstance(v, bool)]
            offered = spec.durations or (
                tuple(range(spec.seconds_range[0], spec.seconds_range[1] + 1)) if spec.seconds_range else ()
            )
            if int in allowed:  # a plain integer: within the docstring's range where it gives one
                span = decl.duration_range()
                if span is not None:
                    assert spec.seconds_range is not None or spec.durations is not None, name
                    assert all(span[0] <= s <= span[1] for s in offered), (name, decl.endpoint, span)
            else:
                assert offered and set(offered) <= set(ints), (name, decl.endpoint, ints)
                assert set(ints) <= set(offered), (name, "the SDK declares durations the catalog lacks")
            assert spec.default_seconds is not None and spec.takes_seconds(spec.default_seconds), name


def test_every_size_and_duration_the_catalog_offers_makes_a_body_the_sdk_declares(catalog) -> None:
    """Each size on each endpoint, at the shortest, longest and default duration, with every optional
    field the model takes, is a body the SDK's request type for that model admits."""
    for name, spec in catalog.items():
        if spec.retired():
            continue
        seconds = {spec.default_seconds, *(spec.durations or spec.seconds_range or ())}
        params: dict[str, Any] = {"seed": 1234} if "seed" in takes(spec) else {}
        if "negativePrompt" in takes(spec):
            params["negative_prompt"] = "blurry"
        if spec.audio == "optional":
            params["audio"] = False
        for endpoint in endpoints(spec).values():
            image = PNG.data_url() if endpoint.name == IMAGE else None
            assert set(endpoint.sizes) <= set(spec.sizes or ()), name
            assert spec.default_size in endpoint.sizes, (name, endpoint.name)
            for size in endpoint.sizes:
                for s in seconds:
                    path, body = request_body(
                        spec, prompt="p", seconds=s, size=size, params=params, image_url=image
                    )
                    assert path == f"/v1/{endpoint.name}"
                    assert refusal(endpoint.name, body) is None, (name, body, refusal(endpoint.name, body))


def excused(endpoint: str, model: str, value: str) -> bool:
    if value in NOT_SIZES:
        return True
    if endpoint == TEXT and value in AUTO_IN_TEXT:
        return True
    return (endpoint, model) in PIXEL_RATIOS_NOT_SENT and PIXELS.fullmatch(value) is not None


def test_the_catalog_offers_every_size_the_sdk_declares(catalog) -> None:
    """Every `ratio` and `resolution` value the SDK declares for a model is reached by some size (or
    is no size, for a reason above), and a field the catalog never sends is an optional one: an SDK
    upgrade that adds a size, or makes a field required, fails here."""
    for (endpoint_name, name), decl in declared().items():
        if name in LEFT_OUT:
            continue
        endpoint = endpoints(catalog[name])[endpoint_name]
        for field in ("ratio", "resolution"):
            values = [v for v in decl.values(field) or () if isinstance(v, str)]
            sent = {endpoint.size_fields(size).get(field) for size in endpoint.sizes} - {None}
            if not endpoint.takes_size:
                sent = set()
            if not sent:
                assert field not in decl.required, (name, endpoint_name, field)
                continue
            assert sent <= set(values), (name, endpoint_name, field, sent - set(values))
            missing = {v for v in set(values) - sent if not excused(endpoint_name, name, v)}
            assert not missing, (name, endpoint_name, field, sorted(missing))


def test_the_optional_fields_are_those_the_sdk_declares(catalog) -> None:
    for name, spec in catalog.items():
        if spec.retired():
            continue
        decls = declared_fields(name, spec)
        for field in ("seed", "negativePrompt"):
            everywhere = all(field in d.types for d in decls)
            assert (field in takes(spec)) == everywhere, (name, field)
        audio = [d.values("audio") for d in decls]
        assert (spec.audio == "optional") == all(a == (bool,) for a in audio), (name, audio)
