"""The official `openai` SDK as the oracle for what the `openai` and `azure` adapters send.

The SDK (`openai.OpenAI`; `openai.AzureOpenAI` for Azure) and the adapter are pointed at the same
loopback fake (tests/fakes/openai_videos.py), make the same calls for the same inputs (create with
and without an image, for a catalog model and for an endpoint's own model; retrieve; list;
download_content for each variant; remix; delete), and the recorded requests are compared: method,
path, query, the headers that matter (auth, content type, accept) and the body (multipart parts by
name, filename, content type and value; JSON as parsed). The decision this holds: the adapter's create
is multipart/form-data, as the SDK's always is (the spec also allows JSON, but a server built
against the SDK need only take multipart). Every body the fake serves is validated with the SDK's
own types, and the catalog is held against the SDK's declared models, sizes and durations, so an SDK
upgrade that changes them fails here.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import httpx
import openai
import pytest
from openai.pagination import SyncConversationCursorPage
from openai.types import Video, VideoDeleteResponse, VideoModel, VideoSeconds, VideoSize
from pydantic import BaseModel, SecretStr

from tests.fakes.harness import Call, FakeServer, png_bytes, sample_media
from tests.fakes.openai_videos import (
    AZURE_KEY,
    KEY,
    SORA_SECONDS,
    SORA_SIZES,
    OpenAIVideosFake,
    multipart_parts,
)
from tests.support.catalog import SORA_STILL_SERVED_CATALOG
from tests.support.job_context import StagingContext
from vidgate.catalog import Catalog
from vidgate.config import ProviderSettings
from vidgate.domain import ImageInput, JobRecord, JobStatus
from vidgate.providers.base import Completed, GenerationRequest, Pending, Submitted
from vidgate.providers.openai import AzureVideos, OpenAIVideos

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # every videos method is deprecated

# Differences between what the SDK sends and what the adapters send, each accepted for a reason.
ACCEPTED_DIFFERENCES = {
    "multipart boundary": "random per request on both sides; the parts are compared, not the bytes.",
    "header content-type on DELETE": "the SDK keeps content-type: application/json on a DELETE with no "
    "body; the adapter sends no body and so no content type.",
    "headers user-agent, x-stainless-*": "SDK telemetry (OpenAI/Python <version>, retry count, OS, "
    "runtime); no endpoint requires them.",
    "seconds and size of a catalog model left unset": "the adapter sends the catalog's defaults (4, "
    "720x1280 for Sora) so the job shows and bills what is made; the SDK sends what it is given, so "
    "it is called with those values. A model the catalog does not list gets only what was set, as "
    "with the SDK (case 'own model, nothing set').",
    "re-send after a lost answer": "the SDK retries a create after a 5xx or a connection error with no "
    "idempotency key (a second video, a second charge); the adapter never re-sends a create whose "
    "answer was lost and looks the video up by listing instead "
    "(tests/providers/test_openai_azure.py::test_a_lost_create_answer_is_looked_up_not_resubmitted).",
    "Azure auth": "AzureOpenAI sends api-key, as the adapter does; Azure's v1 API also takes "
    "`Authorization: Bearer` (what OpenAI(base_url=.../openai/v1) sends), which the adapter does not use.",
}
COMPARED_HEADERS = ("authorization", "api-key", "content-type", "accept")
IMAGE = png_bytes()


@dataclasses.dataclass
class Side:
    """One provider's fake, its server, the adapter and the SDK pointed at it."""

    fake: OpenAIVideosFake
    server: FakeServer
    adapter: OpenAIVideos
    sdk: openai.OpenAI
    prefix: str


@pytest.fixture(scope="module")
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


def settings(key: str, base_url: str, **kw: Any) -> ProviderSettings:
    return ProviderSettings(
        api_key=SecretStr(key),
        base_url=base_url,
        max_retries=0,
        timeout_seconds=5,
        poll_interval_seconds=0.1,
        **kw,
    )


CATALOG = Catalog.load(SORA_STILL_SERVED_CATALOG)


@pytest.fixture(scope="module")
def openai_side(loop: asyncio.AbstractEventLoop) -> Iterator[Side]:
    fake = OpenAIVideosFake(key=KEY, own_models=("wan-2.5",), polls_to_complete=2)
    with FakeServer(fake.app()) as server:
        adapter = OpenAIVideos(settings(KEY, server.url + "/v1"))  # BASE_URL as the SDK's base_url
        adapter.catalog = CATALOG.entry("openai")
        sdk = openai.OpenAI(base_url=server.url + "/v1", api_key=KEY, max_retries=0)
        yield Side(fake, server, adapter, sdk, "/v1/videos")
        loop.run_until_complete(adapter.aclose())


@pytest.fixture(scope="module")
def azure_side(loop: asyncio.AbstractEventLoop) -> Iterator[Side]:
    fake = OpenAIVideosFake(prefix="/openai/v1/videos", key=AZURE_KEY, azure=True, polls_to_complete=2)
    with FakeServer(fake.app()) as server:
        adapter = AzureVideos(settings(AZURE_KEY, server.url, api_version="preview"))  # the resource's root
        adapter.catalog = CATALOG.entry("azure")
        sdk = openai.AzureOpenAI(
            base_url=server.url + "/openai/v1", api_key=AZURE_KEY, api_version="preview", max_retries=0
        )
        yield Side(fake, server, adapter, sdk, "/openai/v1/videos")
        loop.run_until_complete(adapter.aclose())


def job_for(adapter: OpenAIVideos, request: GenerationRequest, **kw: Any) -> JobRecord:
    prepared = adapter.prepare(request)
    return JobRecord(
        id="job_oracle",
        tenant="t",
        provider=adapter.name,
        model=prepared.model,
        status=JobStatus.QUEUED,
        prompt=request.prompt,
        seconds=prepared.seconds,
        size=prepared.size,
        created_at=int(time.time()),
        params=prepared.params,
        **kw,
    )


def recorded(server: FakeServer, action: Callable[[], Any]) -> tuple[Any, list[Call]]:
    before = len(server.app.calls)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        result = action()
    return result, server.app.calls[before:]


def shape(call: Call) -> dict[str, Any]:
    """What is compared of a request: method, path, query, the headers that matter, the body."""
    headers = {h: call.headers.get(h) for h in COMPARED_HEADERS}
    content_type = headers["content-type"] or ""
    body: Any = None
    if content_type.startswith("multipart/form-data"):
        body = [dataclasses.astuple(p) for p in multipart_parts(content_type, call.body)]
        headers["content-type"] = "multipart/form-data"  # accepted: the boundary
    elif call.body:
        body = json.loads(call.body)
    if not call.body and call.method == "DELETE":
        headers.pop("content-type")  # accepted: the SDK's content type on a bodiless DELETE
    return {
        "method": call.method,
        "path": call.path,
        "query": dict(httpx.QueryParams(call.query)),
        "headers": headers,
        "body": body,
    }


def assert_same(sdk_calls: list[Call], adapter_calls: list[Call]) -> list[dict[str, Any]]:
    assert len(sdk_calls) == len(adapter_calls), (sdk_calls, adapter_calls)
    ours, theirs = [shape(c) for c in adapter_calls], [shape(c) for c in sdk_calls]
    assert ours == theirs
    return ours


def submit(side: Side, loop: asyncio.AbstractEventLoop, job: JobRecord, **kw: Any) -> Submitted:
    return loop.run_until_complete(side.adapter.submit(job, **kw))


# (adapter request, the SDK's arguments for the same inputs, the parts both must send)
CREATE_CASES = {
    "sora, every value set": (
        GenerationRequest(model="sora-2-pro", prompt="a lighthouse in fog", seconds=8, size="1792x1024"),
        {"model": "sora-2-pro", "prompt": "a lighthouse in fog", "seconds": "8", "size": "1792x1024"},
        [("prompt", "a lighthouse in fog"), ("model", "sora-2-pro"), ("seconds", "8"), ("size", "1792x1024")],
    ),
    "sora, defaults": (
        GenerationRequest(model="sora-2", prompt="a paper boat"),
        {"model": "sora-2", "prompt": "a paper boat", "seconds": "4", "size": "720x1280"},
        [("prompt", "a paper boat"), ("model", "sora-2"), ("seconds", "4"), ("size", "720x1280")],
    ),
    "own model, nothing set": (
        GenerationRequest(model="wan-2.5", prompt="rain on a tin roof"),
        {"model": "wan-2.5", "prompt": "rain on a tin roof"},
        [("prompt", "rain on a tin roof"), ("model", "wan-2.5")],
    ),
    "own model, seconds set": (
        GenerationRequest(model="wan-2.5", prompt="a slow pan", seconds=10),
        {"model": "wan-2.5", "prompt": "a slow pan", "seconds": "10"},
        [("prompt", "a slow pan"), ("model", "wan-2.5"), ("seconds", "10")],
    ),
}


@pytest.mark.parametrize("case", list(CREATE_CASES))
def test_create_is_multipart_with_the_same_parts_as_the_sdk(case, openai_side: Side, loop) -> None:
    request, sdk_args, parts = CREATE_CASES[case]
    side = openai_side
    job = job_for(side.adapter, request)
    submitted, ours = recorded(side.server, lambda: submit(side, loop, job))
    created, theirs = recorded(side.server, lambda: side.sdk.videos.create(**sdk_args))
    [sent] = assert_same(theirs, ours)
    assert sent["method"] == "POST" and sent["path"] == "/v1/videos" and sent["query"] == {}
    assert sent["headers"] == {
        "authorization": f"Bearer {KEY}",
        "api-key": None,
        "content-type": "multipart/form-data",  # the decision: never JSON
        "accept": "application/json",
    }
    assert [(name, value.decode()) for name, _, _, value in sent["body"]] == parts
    assert all(filename is None and ctype is None for _, filename, ctype, _ in sent["body"])
    assert isinstance(submitted, Submitted) and created.id != submitted.upstream_id


def test_create_with_an_image_sends_the_same_file_part_as_the_sdk(openai_side: Side, loop) -> None:
    side = openai_side
    request = GenerationRequest(model="sora-2", prompt="animate this", size="1280x720", input_reference="x")
    job = job_for(side.adapter, request)
    image = ImageInput(IMAGE, "image/png")
    _, ours = recorded(side.server, lambda: submit(side, loop, job, image=image))
    _, theirs = recorded(
        side.server,
        lambda: side.sdk.videos.create(
            prompt="animate this",
            model="sora-2",
            seconds="4",
            size="1280x720",
            input_reference=("reference.png", IMAGE, "image/png"),
        ),
    )
    [sent] = assert_same(theirs, ours)
    assert sent["body"][-1] == ("input_reference", "reference.png", "image/png", IMAGE)
    assert [p[0] for p in sent["body"]] == ["prompt", "model", "seconds", "size", "input_reference"]
    assert [v.had_image for v in list(side.fake.videos.values())[-2:]] == ["image/png", "image/png"]


def lifecycle(side: Side, loop, tmp_path: Path, request: GenerationRequest) -> None:
    """Retrieve until done, download every variant, list, delete: adapter and SDK on the same video."""
    job = job_for(side.adapter, request)
    submitted = submit(side, loop, job)
    job = dataclasses.replace(job, upstream_id=submitted.upstream_id, status=JobStatus.IN_PROGRESS)
    vid = submitted.upstream_id

    pending, ours = recorded(
        side.server, lambda: loop.run_until_complete(side.adapter.advance(job, StagingContext(tmp_path)))
    )
    assert isinstance(pending, Pending) and pending.status == JobStatus.IN_PROGRESS
    assert pending.retry_in == 0.05  # openai-poll-after-ms: 50, as the SDK's poll() honours it
    video, theirs = recorded(side.server, lambda: side.sdk.videos.retrieve(vid))
    [sent] = assert_same(theirs, ours)
    assert sent["method"] == "GET" and sent["path"] == f"{side.prefix}/{vid}" and sent["body"] is None
    assert video.status == "completed"  # the SDK's retrieve was the second poll

    done, ours = recorded(
        side.server, lambda: loop.run_until_complete(side.adapter.advance(job, StagingContext(tmp_path)))
    )
    assert isinstance(done, Completed) and ours[0].path == f"{side.prefix}/{vid}"
    downloads = ours[1:]
    expected_variants = ["video", "thumbnail", "spritesheet"]
    sdk_downloads = []
    for variant in expected_variants:
        kw = {} if variant == "video" else {"variant": variant}
        content, calls = recorded(side.server, lambda kw=kw: side.sdk.videos.download_content(vid, **kw))
        sdk_downloads += calls
        if variant == "video":
            assert content.content == sample_media()["video"] == done.files["video"].read_bytes()
    sent_downloads = assert_same(sdk_downloads, downloads)
    assert [s["query"].get("variant") for s in sent_downloads] == [None, "thumbnail", "spritesheet"]
    assert {s["headers"]["accept"] for s in sent_downloads} == {"application/binary"}

    _, ours = recorded(side.server, lambda: loop.run_until_complete(side.adapter.recover(job)))
    _, theirs = recorded(side.server, lambda: side.sdk.videos.list(limit=100, order="desc"))
    [listed] = assert_same(theirs, ours)
    assert listed["query"] | {"api-version": None} == {"limit": "100", "order": "desc", "api-version": None}

    finished = dataclasses.replace(job, status=JobStatus.COMPLETED)
    _, ours = recorded(side.server, lambda: loop.run_until_complete(side.adapter.cancel(finished)))
    assert vid not in side.fake.videos
    other = submit(side, loop, job_for(side.adapter, request)).upstream_id
    deleted, theirs = recorded(side.server, lambda: side.sdk.videos.delete(other))
    ours[0] = dataclasses.replace(ours[0], path=ours[0].path.replace(vid, other))
    [sent] = assert_same(theirs, ours)
    assert sent["method"] == "DELETE" and sent["body"] is None and deleted.deleted


def test_retrieve_download_list_and_delete_match_the_sdk(openai_side: Side, loop, tmp_path) -> None:
    lifecycle(openai_side, loop, tmp_path, GenerationRequest(model="sora-2", prompt="oracle lifecycle"))


def test_remix_matches_the_sdk(openai_side: Side, loop) -> None:
    side = openai_side
    source = job_for(side.adapter, GenerationRequest(model="sora-2", prompt="a fox"))
    source = dataclasses.replace(source, upstream_id=submit(side, loop, source).upstream_id)
    side.fake.videos[source.upstream_id].status = "completed"
    remix = job_for(side.adapter, GenerationRequest(model="sora-2", prompt="the fox at night"))
    _, ours = recorded(side.server, lambda: submit(side, loop, remix, source=source))
    _, theirs = recorded(
        side.server, lambda: side.sdk.videos.remix(source.upstream_id, prompt="the fox at night")
    )
    [sent] = assert_same(theirs, ours)
    assert sent["path"] == f"/v1/videos/{source.upstream_id}/remix"
    assert sent["headers"]["content-type"] == "application/json"
    assert sent["body"] == {"prompt": "the fox at night"}


def test_azure_paths_api_version_and_api_key_match_azure_openai(azure_side: Side, loop, tmp_path) -> None:
    side = azure_side
    request = GenerationRequest(model="my-sora-deployment", prompt="azure oracle", seconds=8, size="1280x720")
    job = job_for(side.adapter, request)
    _, ours = recorded(side.server, lambda: submit(side, loop, job))
    _, theirs = recorded(
        side.server,
        lambda: side.sdk.videos.create(
            model="my-sora-deployment", prompt="azure oracle", seconds="8", size="1280x720"
        ),
    )
    [sent] = assert_same(theirs, ours)
    assert sent["path"] == "/openai/v1/videos" and sent["query"] == {"api-version": "preview"}
    assert sent["headers"]["api-key"] == AZURE_KEY and sent["headers"]["authorization"] is None
    lifecycle(side, loop, tmp_path, request)


def test_azure_without_api_version_and_with_the_v1_base_url(loop) -> None:
    """Azure's v1 API needs no api-version: none is sent when none is set; and BASE_URL may be given
    as the docs give it to the SDK (`https://<resource>.openai.azure.com/openai/v1/`)."""
    fake = OpenAIVideosFake(prefix="/openai/v1/videos", key=AZURE_KEY, azure=True)
    with FakeServer(fake.app()) as server:
        adapter = AzureVideos(settings(AZURE_KEY, server.url + "/openai/v1/"))
        adapter.catalog = CATALOG.entry("azure")
        job = job_for(adapter, GenerationRequest(model="sora-2", prompt="no version"))
        try:
            loop.run_until_complete(adapter.submit(job))
        finally:
            loop.run_until_complete(adapter.aclose())
        [call] = server.app.calls
        assert (call.path, call.query) == ("/openai/v1/videos", "")


def test_every_body_the_fake_serves_parses_as_the_sdks_types(openai_side: Side, azure_side: Side) -> None:
    """Drives every shape itself (a failure, a capacity failure, a list, a delete), then checks all
    the fake has served in this module."""
    for side in (openai_side, azure_side):
        failed = side.sdk.videos.create(
            prompt="FAIL on purpose", model="sora-2", seconds="4", size="720x1280"
        )
        capacity = side.sdk.videos.create(
            prompt="CAPACITY short", model="sora-2", seconds="4", size="720x1280"
        )
        for vid in (failed.id, capacity.id):
            side.sdk.videos.retrieve(vid)
            side.sdk.videos.retrieve(vid)
        side.sdk.videos.list(limit=2)
        error = side.sdk.videos.retrieve(capacity.id).error
        assert error is not None and error.headers == {
            "retry-after": "30",
            "x-openai-inference-capacity-reason": "region_at_capacity",
        }
        assert side.sdk.videos.delete(failed.id).deleted
    own = openai_side.sdk.videos.create(prompt="own defaults", model="wan-2.5")
    assert (own.seconds, own.size) == ("5", "1280x720")  # the endpoint's own defaults
    kinds = {"video": Video, "deleted": VideoDeleteResponse, "list": SyncConversationCursorPage[Video]}
    for side in (openai_side, azure_side):
        served = side.fake.served
        assert {kind for kind, _ in served} == set(kinds)
        for kind, body in served:
            strict(kinds[kind], body)
            if kind == "list":
                assert body.keys() >= {"object", "data", "first_id", "last_id", "has_more"}
                for item in body["data"]:
                    strict(Video, item)
        failures = [b["error"] for k, b in served if k == "video" and b["status"] == "failed"]
        assert {e["code"] for e in failures} == {"moderation_blocked", "capacity_exceeded"}


def strict(model: type[BaseModel], body: dict[str, Any]) -> None:
    """Every field the SDK declares validates strictly (no coercion); nothing required missing."""
    model.model_validate(body, strict=True)
    missing = [n for n, f in model.model_fields.items() if f.is_required() and n not in body]
    assert not missing, (model.__name__, missing)


def test_the_sdk_reads_the_fakes_errors(openai_side: Side) -> None:
    with pytest.raises(openai.BadRequestError) as bad:
        openai_side.sdk.videos.create(prompt="x", model="sora-2", seconds="5")  # type: ignore[arg-type]
    assert (bad.value.code, bad.value.param) == ("invalid_value", "seconds")
    assert "Supported values are: '4', '8', and '12'" in bad.value.message
    wrong = openai.OpenAI(base_url=openai_side.server.url + "/v1", api_key="sk-wrong", max_retries=0)
    with pytest.raises(openai.AuthenticationError) as denied:
        wrong.videos.retrieve("video_x")
    assert denied.value.code == "invalid_api_key"


def literals(alias: Any) -> set[str]:
    """The string literals a type alias declares (VideoModel is `str | Literal[...]`)."""
    if get_origin(alias) is Literal:
        return set(get_args(alias))
    return {value for arg in get_args(alias) for value in literals(arg)}


def test_the_catalog_holds_what_the_sdk_declares() -> None:
    """Every model the SDK declares is in the catalog (retired or not); every size and duration of a
    Sora model in the catalog is one the SDK declares. The fake is held to the same."""
    sdk_models, sdk_sizes = literals(VideoModel), literals(VideoSize)
    sdk_seconds = {int(s) for s in literals(VideoSeconds)}
    catalog = Catalog.load()
    openai_models = catalog.entry("openai").models
    assert sdk_models and sdk_models <= set(openai_models), sdk_models - set(openai_models)
    sora = [s for s in openai_models.values() if s.name.startswith("sora")]
    sora += [s for s in catalog.entry("azure").models.values() if s.name.startswith("sora")]
    for spec in sora:
        assert spec.durations is not None and set(spec.durations) <= sdk_seconds, spec.id
        assert spec.sizes is not None and set(spec.sizes) <= sdk_sizes, spec.id
        assert spec.default_size in spec.sizes and spec.default_seconds in spec.durations, spec.id
        assert spec.audio == "always", spec.id  # Sora makes its soundtrack; the API has no switch
    assert {int(s) for s in SORA_SECONDS} == sdk_seconds
    assert {s for sizes in SORA_SIZES.values() for s in sizes} == sdk_sizes
