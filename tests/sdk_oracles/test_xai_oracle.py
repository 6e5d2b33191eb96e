"""The `xai` adapter held against xAI's official Python SDK, xai-sdk (the oracle), on loopback.

xai-sdk speaks gRPC (`xai_api.Video`), the adapter speaks REST. The REST API is not a transcoding
of the gRPC one (no `google.api.http` annotations: the routes, enum spellings and image objects are
its own); its reference is the OpenAPI spec in xai-org/xai-sdk-ts (`spec/openapi.json`). So both
clients talk to one fake job store (tests/fakes/xai.py) through two codecs: the fake's REST app for
the adapter, and the SDK's own generated `VideoServicer` on a loopback gRPC server for the SDK
(`xai_sdk.Client(api_host="127.0.0.1:PORT", use_insecure_channel=True)`). For the same inputs,
the SDK's recorded request message (`MessageToDict(..., preserving_proto_field_name=True)`) and the
adapter's REST JSON body must agree field by field; where REST and gRPC spell a thing differently
the difference is listed in ACCEPTED_DIFFERENCES with its reason, and checked to be exactly that
difference (translated with the SDK's own tables where it has them).

The gRPC codec reads every REST answer of the fake into the SDK's response messages
(`json_format.ParseDict`, unknown fields refused), so the fake's answers cannot name a field xAI's
messages lack, and the SDK must read each outcome the way the adapter does. Every answer the fake
serves is also checked against the REST reference's schemas.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import datetime
import json
import threading
from collections.abc import Callable, Iterator
from concurrent import futures
from pathlib import Path
from typing import Any, get_args

import grpc
import httpx
import jsonschema
import pytest
import xai_sdk
from google.protobuf.json_format import MessageToDict, ParseDict
from xai_sdk.__about__ import __version__ as XAI_SDK_VERSION
from xai_sdk.proto import deferred_pb2, video_pb2, video_pb2_grpc
from xai_sdk.types.model import VideoGenerationModel
from xai_sdk.types.video import VideoAspectRatio, VideoAspectRatioMap, VideoResolution, VideoResolutionMap
from xai_sdk.video import VideoGenerationError

from tests.fakes import xai as fake_api
from tests.fakes.harness import FakeServer, png_bytes, sample_media
from tests.fakes.xai import KEY, XaiFake
from tests.support.job_context import StagingContext
from vidgate.catalog import Catalog
from vidgate.config import ProviderSettings
from vidgate.domain import ImageInput, JobRecord, JobStatus, VideoInput
from vidgate.providers.base import (
    Completed,
    Failed,
    GenerationRequest,
    Outcome,
    Pending,
    SourceVideo,
)
from vidgate.providers.xai import ASPECT_RATIOS, RESOLUTIONS, XaiVideos, xai_shape

PNG_URL = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()
FAST = datetime.timedelta(milliseconds=5)

# Where the adapter's REST request and the SDK's gRPC request differ, and why. Each body entry has a
# translation (below) that must turn the REST value into the gRPC one: any other difference fails.
ACCEPTED_DIFFERENCES: dict[str, str] = {
    "route": (
        "REST POST /v1/videos/generations and GET /v1/videos/{request_id} (xai-sdk-ts spec/openapi.json) "
        "are REST's own routes for the gRPC /xai_api.Video/GenerateVideo and GetDeferredVideo {request_id}; "
        "POST /v1/videos/edits is GenerateVideo with a `video`, POST /v1/videos/extensions ExtendVideo"
    ),
    "aspect_ratio": (
        "REST's VideoAspectRatio enum is the ratio itself ('16:9'); the proto enum is "
        "VIDEO_ASPECT_RATIO_16_9. Equal under the SDK's VideoAspectRatioMap"
    ),
    "resolution": (
        "REST's VideoResolution enum is '720p'; the proto enum is VIDEO_RESOLUTION_720P. Equal under "
        "the SDK's VideoResolutionMap"
    ),
    "image": (
        "REST's ImageUrl is {url} (a URL or data URL; `image_url` is accepted as an alias); gRPC's "
        "ImageUrlContent is {image_url, detail}, and the SDK always adds detail=DETAIL_AUTO, for which "
        "REST has no field"
    ),
    "header:content-type": "application/json on REST; gRPC frames protobuf (application/grpc)",
    "header:xai-sdk-version": "the SDK's own telemetry metadata; the REST API does not ask for it",
    "header:xai-sdk-language": "the SDK's own telemetry metadata; the REST API does not ask for it",
}
TRANSLATE: dict[str, Callable[[Any], Any]] = {
    "aspect_ratio": lambda rest: video_pb2.VideoAspectRatio.Name(VideoAspectRatioMap[rest]),
    "resolution": lambda rest: video_pb2.VideoResolution.Name(VideoResolutionMap[rest]),
    "image": lambda rest: {"image_url": rest["url"], "detail": "DETAIL_AUTO"},
}
# Models the catalog offers that xai-sdk's VideoGenerationModel literal does not (yet) name.
NOT_IN_SDK_LITERAL = {
    "grok-imagine-video-1.5-lite": "docs.x.ai's Video Generation page names it (the lowest price per "
    "second); xai-sdk 1.21.0's literal lists only grok-imagine-video and grok-imagine-video-1.5",
}
DEFERRED = {
    "pending": deferred_pb2.DeferredStatus.PENDING,
    "done": deferred_pb2.DeferredStatus.DONE,
    "failed": deferred_pb2.DeferredStatus.FAILED,
    "expired": deferred_pb2.DeferredStatus.EXPIRED,
}


def as_grpc(status: int, body: Any) -> video_pb2.GetDeferredVideoResponse:
    """A REST poll answer as the SDK's message: REST is flat with a 202 while pending, gRPC nests
    `{status, response}`. ParseDict refuses any field the SDK's VideoResponse does not have."""
    if status == 202:
        pending = video_pb2.GetDeferredVideoResponse(status=deferred_pb2.DeferredStatus.PENDING)
        if body:  # a 202 body, if any, is a VideoResponse with status pending
            assert body["status"] == "pending", body
            pending.response.CopyFrom(
                ParseDict({k: v for k, v in body.items() if k != "status"}, video_pb2.VideoResponse())
            )
        return pending
    assert status == 200, (status, body)
    rest = {k: v for k, v in body.items() if k != "status"}
    reply = video_pb2.GetDeferredVideoResponse(status=DEFERRED[body["status"]])
    if rest:
        reply.response.CopyFrom(ParseDict(rest, video_pb2.VideoResponse()))
    return reply


class GrpcCodec(video_pb2_grpc.VideoServicer):
    """xai_api.Video over the fake's job store: what the SDK sends is recorded as it arrived."""

    def __init__(self, fake: XaiFake, base_url: str) -> None:
        self.fake = fake
        self.base_url = base_url
        self.calls: list[tuple[str, dict[str, Any], dict[str, str]]] = []
        self.lock = threading.Lock()

    def _record(self, rpc: str, request: Any, context: grpc.ServicerContext) -> None:
        metadata = dict(context.invocation_metadata())
        with self.lock:
            self.calls.append((rpc, MessageToDict(request, preserving_proto_field_name=True), metadata))
        if self.fake.refused_key(metadata.get("authorization")) is not None:
            context.abort(grpc.StatusCode.UNAUTHENTICATED, "Incorrect API key provided")

    def GenerateVideo(self, request, context):
        self._record("GenerateVideo", request, context)
        duration = request.duration if request.HasField("duration") else None
        rid = self.fake.new_job({"prompt": request.prompt, "duration": duration}, request.model)
        return deferred_pb2.StartDeferredResponse(request_id=rid)

    def ExtendVideo(self, request, context):
        self._record("ExtendVideo", request, context)
        duration = request.duration if request.HasField("duration") else None
        rid = self.fake.new_job({"prompt": request.prompt, "duration": duration}, request.model)
        return deferred_pb2.StartDeferredResponse(request_id=rid)

    def GetDeferredVideo(self, request, context):
        self._record("GetDeferredVideo", request, context)
        status, body = self.fake.answer(request.request_id, self.base_url)
        if status == 404:
            context.abort(grpc.StatusCode.NOT_FOUND, body["error"])
        return as_grpc(status, body)


@dataclasses.dataclass
class Loopback:
    fake: XaiFake
    rest: FakeServer
    codec: GrpcCodec
    sdk: xai_sdk.Client


@pytest.fixture(scope="module")
def loop() -> Iterator[Loopback]:
    fake = XaiFake()
    with FakeServer(fake.app()) as rest:
        codec = GrpcCodec(fake, rest.url)
        server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        video_pb2_grpc.add_VideoServicer_to_server(codec, server)
        port = server.add_insecure_port("127.0.0.1:0")
        server.start()
        sdk = xai_sdk.Client(api_key=KEY, api_host=f"127.0.0.1:{port}", use_insecure_channel=True, timeout=20)
        try:
            yield Loopback(fake, rest, codec, sdk)
        finally:
            sdk.close()
            server.stop(grace=None)


def run_adapter(
    loop: Loopback,
    request: GenerationRequest,
    tmp_path: Path,
    operation: tuple[str, SourceVideo] | None = None,
) -> tuple[Outcome, int, int]:
    """Prepare, submit and poll one job with the adapter against the REST fake: its outcome, and
    where its calls start and end in the fake's record. `operation`: an edit or extension (by
    `request.seconds`) of the source instead of a create."""

    async def go() -> Outcome:
        provider = XaiVideos(
            ProviderSettings(
                api_key=KEY, base_url=loop.rest.url, poll_interval_seconds=0.01, max_retry_wait_seconds=0
            )
        )
        provider.catalog = Catalog.load().entry("xai")
        try:
            if operation is None:
                prepared = provider.prepare(request)
            elif operation[0] == "extend":
                prepared = provider.prepare_extend(
                    operation[1], request.model, request.prompt, request.seconds or 0
                )
            else:
                prepared = provider.prepare_edit(operation[1], request.model, request.prompt)
            job = JobRecord(
                id="job-oracle",
                tenant="oracle",
                provider="xai",
                model=prepared.model,
                status=JobStatus.QUEUED,
                prompt=request.prompt,
                seconds=prepared.seconds,
                size=prepared.size,
                created_at=0,
                params={**prepared.params, **({"operation": operation[0]} if operation else {})},
            )
            image = None
            if request.input_reference is not None:
                image = ImageInput(base64.b64decode(request.input_reference.partition(",")[2]), "image/png")
            if operation is None:
                submitted = await provider.submit(job, None, image)
            else:
                submitted = await provider.submit_operation(job, operation[1])
            job = dataclasses.replace(job, upstream_id=submitted.upstream_id, status=JobStatus.IN_PROGRESS)
            for advances in range(1, 51):
                polls_before = len(loop.rest.app.calls)
                outcome = await provider.advance(job, StagingContext(tmp_path, threaded=True))
                polls = [c for c in loop.rest.app.calls[polls_before:] if c.path.startswith("/v1/videos/")]
                # one look per advance: a 202 without a body is an answer, not a reason to ask again
                assert len(polls) == 1, (advances, polls)
                if not isinstance(outcome, Pending):
                    return outcome
            raise AssertionError("the adapter never finished the job")
        finally:
            await provider.aclose()

    first = len(loop.rest.app.calls)
    outcome = asyncio.run(go())
    return outcome, first, len(loop.rest.app.calls)


def run_sdk(loop: Loopback, **kwargs: Any) -> tuple[Any, int, int]:
    first = len(loop.codec.calls)
    try:
        result: Any = loop.sdk.video.generate(interval=FAST, **kwargs)
    except (VideoGenerationError, RuntimeError) as exc:
        result = exc
    return result, first, len(loop.codec.calls)


def rest_calls(loop: Loopback, first: int, last: int) -> list[tuple[str, dict[str, Any], dict[str, str]]]:
    """The adapter's REST calls as (route, payload, headers), in the gRPC vocabulary of routes."""
    out = []
    for call in loop.rest.app.calls[first:last]:
        if call.method == "POST" and call.path in ("/v1/videos/generations", "/v1/videos/edits"):
            out.append(("GenerateVideo", json.loads(call.body), call.headers))
        elif call.method == "POST" and call.path == "/v1/videos/extensions":
            out.append(("ExtendVideo", json.loads(call.body), call.headers))
        elif call.method == "GET" and call.path.startswith("/v1/videos/"):
            out.append(("GetDeferredVideo", {"request_id": call.path.rsplit("/", 1)[1]}, call.headers))
        elif call.method == "GET" and call.path.startswith("/cdn/"):
            # fetching `video.url`: the SDK hands the URL to its caller, who fetches it without the key
            assert "authorization" not in call.headers
        else:
            raise AssertionError(
                f"the adapter called {call.method} {call.path}, which has no gRPC counterpart"
            )
    return out


def compare_bodies(rest: dict[str, Any], grpc_body: dict[str, Any], used: set[str]) -> None:
    assert rest.keys() == grpc_body.keys(), f"fields differ: REST {sorted(rest)} vs SDK {sorted(grpc_body)}"
    for field, value in rest.items():
        if field in TRANSLATE:
            assert field in ACCEPTED_DIFFERENCES
            assert value != grpc_body[field], f"{field} no longer differs: drop it from ACCEPTED_DIFFERENCES"
            assert TRANSLATE[field](value) == grpc_body[field], (field, value, grpc_body[field])
            used.add(field)
        else:
            assert value == grpc_body[field], (field, value, grpc_body[field])


def compare_runs(
    loop: Loopback, adapter: tuple[Any, int, int], sdk: tuple[Any, int, int], used: set[str]
) -> None:
    rest = rest_calls(loop, adapter[1], adapter[2])
    grpc_calls = loop.codec.calls[sdk[1] : sdk[2]]
    # the same calls in the same order: one create, then polls until the job ends
    assert [r for r, _, _ in rest] == [r for r, _, _ in grpc_calls], (rest, grpc_calls)
    used.add("route")
    compare_bodies(rest[0][1], grpc_calls[0][1], used)
    rest_id, sdk_id = rest[1][1]["request_id"], grpc_calls[1][1]["request_id"]
    for (_, rest_poll, _), (_, grpc_poll, _) in zip(rest[1:], grpc_calls[1:], strict=True):
        assert rest_poll == {"request_id": rest_id} and grpc_poll == {"request_id": sdk_id}
    for (_, _, headers), (_, _, metadata) in zip(rest, grpc_calls, strict=True):
        # the key goes the same way: `authorization: Bearer <key>` header / metadata
        assert headers["authorization"] == metadata["authorization"] == f"Bearer {KEY}"
        assert metadata["xai-sdk-version"] == f"python/{XAI_SDK_VERSION}" and "xai-sdk-language" in metadata
        assert "xai-sdk-version" not in headers and "xai-sdk-language" not in headers
        used |= {"header:xai-sdk-version", "header:xai-sdk-language"}
    assert rest[0][2]["content-type"] == "application/json"
    used.add("header:content-type")


@pytest.fixture
def used() -> set[str]:
    """The accepted differences a test's comparisons met."""
    return set()


def test_text_to_video_matches_the_sdk(loop: Loopback, used: set[str], tmp_path: Path) -> None:
    adapter = run_adapter(
        loop,
        GenerationRequest(
            model="grok-imagine-video", prompt="A red fox in fresh snow", seconds=6, size="1280x720"
        ),
        tmp_path,
    )
    sdk = run_sdk(
        loop,
        prompt="A red fox in fresh snow",
        model="grok-imagine-video",
        duration=6,
        aspect_ratio="16:9",
        resolution="720p",
    )
    compare_runs(loop, adapter, sdk, used)
    assert isinstance(adapter[0], Completed) and adapter[0].files["video"].stat().st_size > 0
    assert sdk[0].url.startswith(loop.rest.url + "/cdn/xai-video-")  # the SDK read the same answer
    assert sdk[0].duration == 6 and sdk[0].cost_usd == pytest.approx(0.30)


CLIP = sample_media()["video"]
SOURCE = SourceVideo(upload=VideoInput(CLIP, "video/mp4", seconds=4.0, width=848, height=480, fps=24.0))
CLIP_URL = "data:video/mp4;base64," + base64.b64encode(CLIP).decode()


def test_an_edit_is_the_sdks_generate_with_a_video(loop: Loopback, used: set[str], tmp_path: Path) -> None:
    request = GenerationRequest(model="grok-imagine-video", prompt="the fox, in autumn")
    adapter = run_adapter(loop, request, tmp_path, ("edit", SOURCE))
    sdk = run_sdk(loop, prompt="the fox, in autumn", model="grok-imagine-video", video_url=CLIP_URL)
    compare_runs(loop, adapter, sdk, used)
    assert rest_calls(loop, adapter[1], adapter[2])[0][1]["video"] == {"url": CLIP_URL}
    assert isinstance(adapter[0], Completed) and sdk[0].url.startswith(loop.rest.url + "/cdn/")


def test_an_extension_is_the_sdks_extend(loop: Loopback, used: set[str], tmp_path: Path) -> None:
    request = GenerationRequest(model="grok-imagine-video", prompt="the fox runs off", seconds=5)
    adapter = run_adapter(loop, request, tmp_path, ("extend", SOURCE))
    first = len(loop.codec.calls)
    result = loop.sdk.video.extend(
        "the fox runs off", "grok-imagine-video", video_url=CLIP_URL, duration=5, interval=FAST
    )
    compare_runs(loop, adapter, (result, first, len(loop.codec.calls)), used)
    assert isinstance(adapter[0], Completed) and result.url.startswith(loop.rest.url + "/cdn/")


def test_image_to_video_matches_the_sdk(loop: Loopback, used: set[str], tmp_path: Path) -> None:
    adapter = run_adapter(
        loop,
        GenerationRequest(
            model="grok-imagine-video-1.5",
            prompt="The fox turns its head",
            seconds=8,
            size="1080x1920",
            audio=False,
            input_reference=PNG_URL,
        ),
        tmp_path,
    )
    sdk = run_sdk(
        loop,
        prompt="The fox turns its head",
        model="grok-imagine-video-1.5",
        image_url=PNG_URL,
        duration=8,
        aspect_ratio="9:16",
        resolution="1080p",
        generate_audio=False,
    )
    compare_runs(loop, adapter, sdk, used)
    assert isinstance(adapter[0], Completed)
    # every accepted difference is met here: a stale entry would not be kept
    assert used == set(ACCEPTED_DIFFERENCES), set(ACCEPTED_DIFFERENCES) ^ used


def test_defaults_the_adapter_fills_are_what_the_sdk_sends_when_told(
    loop: Loopback, used: set[str], tmp_path: Path
) -> None:
    """The adapter always sends the catalog's defaults (8 s, 848x480 = 16:9 at 480p), which are xAI's."""
    adapter = run_adapter(
        loop, GenerationRequest(model="grok-imagine-video-1.5-lite", prompt="Waves"), tmp_path
    )
    sdk = run_sdk(
        loop,
        prompt="Waves",
        model="grok-imagine-video-1.5-lite",
        duration=8,
        aspect_ratio="16:9",
        resolution="480p",
    )
    compare_runs(loop, adapter, sdk, used)


@pytest.mark.parametrize(
    ("prompt", "sdk_sees", "adapter_sees"),
    [
        (
            "FAIL please",
            ("VideoGenerationError", "invalid_argument", "The prompt was rejected by moderation."),
            Failed("invalid_argument", "The prompt was rejected by moderation."),
        ),
        (
            "EXPIRE please",
            ("RuntimeError", "Deferred request expired."),
            Failed("expired", "xAI let the request expire before it finished"),
        ),
        (
            "MODERATE please",
            ("ValueError", "Video did not respect moderation rules; URL is not available."),
            Failed("content_filtered", "xAI's moderation withheld the generated video"),
        ),
    ],
)
def test_failures_read_alike(
    loop: Loopback, used: set[str], tmp_path: Path, prompt: str, sdk_sees: tuple, adapter_sees: Failed
) -> None:
    adapter = run_adapter(
        loop,
        GenerationRequest(model="grok-imagine-video", prompt=prompt, seconds=8, size="848x480"),
        tmp_path,
    )
    sdk = run_sdk(
        loop, prompt=prompt, model="grok-imagine-video", duration=8, aspect_ratio="16:9", resolution="480p"
    )
    compare_runs(loop, adapter, sdk, used)
    assert adapter[0] == adapter_sees
    result = sdk[0]
    if isinstance(result, VideoGenerationError):
        assert ("VideoGenerationError", result.code, result.message) == sdk_sees
    elif isinstance(result, RuntimeError):
        assert ("RuntimeError", str(result)) == sdk_sees
    else:  # DONE without a URL: the SDK's VideoResponse refuses to give one
        with pytest.raises(ValueError) as err:
            _ = result.url
        assert ("ValueError", str(err.value)) == sdk_sees and result.respect_moderation is False


def test_every_answer_the_fake_serves_has_the_references_shape(loop: Loopback) -> None:
    """Drive every outcome and refusal of the fake, then hold each answer it served (in this module
    and before) against the REST reference's schemas and, for poll answers, the SDK's messages."""
    url = loop.rest.url
    good = {"authorization": f"Bearer {KEY}"}
    with httpx.Client(base_url=url, timeout=10) as http:
        for prompt in ("plain", "FAIL", "EXPIRE", "MODERATE"):
            rid = http.post("/v1/videos/generations", headers=good, json={"prompt": prompt}).json()[
                "request_id"
            ]
            for _ in range(loop.fake.polls_to_complete):
                http.get(f"/v1/videos/{rid}", headers=good)
        http.post("/v1/videos/generations", headers={"authorization": "Bearer wrong"}, json={"prompt": "x"})
        http.post("/v1/videos/generations", headers=good, json={"prompt": "x", "model": "grok-nope"})
        http.post("/v1/videos/generations", headers=good, json={"prompt": "x", "duration": 16})
        http.post("/v1/videos/generations", headers=good, json={"prompt": "REJECT"})
        unknown = http.post(
            "/v1/videos/generations", headers=good, json={"prompt": "x", "negative_prompt": "y"}
        )
        assert unknown.status_code == 422  # a field the reference does not name
        http.post("/v1/videos/generations", headers=good, content=b"prompt=x")
        http.get("/v1/videos/no-such-id", headers=good)
    statuses = set()
    for path, status, body in loop.fake.served:
        statuses.add((path.startswith("/v1/videos/generations"), status))
        if status >= 400:
            jsonschema.validate(body, fake_api.XAI_REFUSAL)
        elif path in ("/v1/videos/generations", "/v1/videos/edits", "/v1/videos/extensions"):
            jsonschema.validate(body, fake_api.START_DEFERRED_RESPONSE)
            ParseDict(body, deferred_pb2.StartDeferredResponse())
        else:
            if body is not None:
                jsonschema.validate(body, fake_api.VIDEO_RESPONSE)
            as_grpc(status, body)  # the SDK's own messages take it
    assert {(True, 200), (True, 400), (True, 404), (True, 415), (True, 422)} <= statuses, statuses
    assert {(False, 200), (False, 202), (False, 404)} <= statuses, statuses


def test_the_catalog_agrees_with_the_sdks_declared_values() -> None:
    """A stale catalog (or adapter) fails here when xai-sdk is upgraded with new values."""
    catalog = Catalog.load().entry("xai")
    sdk_models = set(get_args(VideoGenerationModel))
    assert sdk_models <= set(catalog.models), (
        f"the SDK names models the catalog lacks: {sdk_models - set(catalog.models)}"
    )
    assert set(catalog.models) - sdk_models == set(NOT_IN_SDK_LITERAL)
    assert set(ASPECT_RATIOS) == set(get_args(VideoAspectRatio)) == set(VideoAspectRatioMap)
    assert set(RESOLUTIONS) == set(get_args(VideoResolution)) == set(VideoResolutionMap)
    for name, spec in catalog.models.items():
        assert spec.sizes, name
        shapes = {xai_shape(size, name) for size in spec.sizes}
        assert len(shapes) == len(spec.sizes), f"{name}: two sizes are sent alike"
        resolutions = {resolution for _, resolution in shapes}
        # every aspect ratio the SDK declares is offered at every resolution the model has
        assert shapes == {(r, res) for r in get_args(VideoAspectRatio) for res in resolutions}, name
        assert set(spec.price.per_second) == resolutions, name  # a price for each resolution offered
        assert "(third-party; verify)" in spec.price.source, name
        assert spec.seconds_range == (1, 15) and spec.default_seconds == 8 and spec.default_size == "848x480"
