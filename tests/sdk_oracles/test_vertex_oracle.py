"""The official SDK as the oracle for `vertex`: google-genai (3.x) with `vertexai=True`, a static
`google.oauth2.credentials.Credentials(token=...)` (never refreshed, so no OAuth happens) and
`HttpOptions(base_url=<the fake>, api_version="v1")`, against the same fake the adapter talks to
(tests/fakes/vertex.py). For the same values, the adapter's create and poll requests must be the
SDK's; every answer the fake gives must parse into the SDK's `GenerateVideosOperation` and mean to
the SDK what it means to the adapter."""

from __future__ import annotations

import base64
import functools
import typing
from pathlib import Path

import google.oauth2.credentials
import pytest
from google import genai
from google.genai import types

from tests.fakes.harness import FakeServer, png_bytes, sample_media
from tests.fakes.vertex import LOCATION, PROJECT, TOKEN, VertexFake
from vidgate.catalog import Catalog, resolution_tier
from vidgate.domain import ImageInput, VideoInput
from vidgate.providers.base import Completed, Failed, GenerationRequest, SourceVideo
from vidgate.providers.checks import aspect_ratio
from vidgate.providers.vertex import VertexVeo

from ._google import adapter, body, run, same_request, since

# What may differ between the adapter's requests and the SDK's, and why.
ACCEPTED_DIFFERENCES = {
    "headers.user-agent": "the SDK names itself (google-genai-sdk/<version>); httpx names itself",
    "headers.x-goog-api-client": "the SDK's telemetry header; the API does not need it",
    "headers.accept": "httpx sends */*, the SDK application/json; both get JSON",
    "poll operationName": "each side polls the operation its own create made (same shape, other id)",
}
SKIP = {k.removeprefix("headers.") for k in ACCEPTED_DIFFERENCES if k.startswith("headers.")}
PNG = png_bytes()


@pytest.fixture(scope="module")
def server():
    with FakeServer(VertexFake(polls_to_complete=2).app()) as server:
        yield server


@functools.cache  # one client a server: each builds its TLS contexts, a good part of a second
def sdk(server: FakeServer) -> genai.Client:
    return genai.Client(
        vertexai=True,
        project=PROJECT,
        location=LOCATION,
        credentials=google.oauth2.credentials.Credentials(token=TOKEN),
        http_options=types.HttpOptions(base_url=server.url, api_version="v1"),
    )


def ours(
    server: FakeServer,
    request: GenerationRequest,
    tmp_path: Path,
    image: ImageInput | None = None,
    operation: SourceVideo | None = None,
):
    provider = adapter(
        VertexVeo, server, api_key=TOKEN, project=PROJECT, location=LOCATION, storage_base_url=server.url
    )
    mark = len(server.app.calls)
    job, outcome = run(provider, request, image, tmp_path / "ours", operation)
    return job, outcome, since(server, mark)


def theirs(
    server: FakeServer, model: str, source: types.GenerateVideosSource, config: types.GenerateVideosConfig
):
    mark = len(server.app.calls)
    client = sdk(server)
    op = client.models.generate_videos(model=model, source=source, config=config)
    seen = [op]
    while not op.done:
        op = client.operations.get(op)
        seen.append(op)
    return seen, since(server, mark)


def config_for(job, **extra) -> types.GenerateVideosConfig:
    """The SDK configured with the values the adapter sends (it sends only what it is given)."""
    fields = {
        "number_of_videos": 1,
        "duration_seconds": job.seconds,
        "aspect_ratio": aspect_ratio(job.size),
        "negative_prompt": job.params.get("negative_prompt"),
        "seed": job.params.get("seed"),
        "generate_audio": job.params.get("audio"),
        **extra,
    }
    if not job.model.startswith("veo-2"):
        fields["resolution"] = resolution_tier(job.size)
    return types.GenerateVideosConfig(**{k: v for k, v in fields.items() if v is not None})


def compare(our_calls, their_calls) -> None:
    """The create request alike; every poll alike but for the operation each side polls."""
    assert len(our_calls) == len(their_calls) >= 3  # create, a pending look, the done look
    same_request(our_calls[0], their_calls[0], SKIP)
    ours_op, theirs_op = body(our_calls[1])["operationName"], body(their_calls[1])["operationName"]
    for mine, sdks in zip(our_calls[1:], their_calls[1:], strict=True):
        assert body(mine) == {"operationName": ours_op} and body(sdks) == {"operationName": theirs_op}
        same_request(mine, sdks, SKIP, compare_body=False)


def test_text_to_video_with_every_parameter(server: FakeServer, tmp_path: Path) -> None:
    request = GenerationRequest(
        model="veo-3.1-generate-001",
        prompt="A lighthouse at dusk, waves crashing",
        seconds=8,
        size="1920x1080",
        negative_prompt="blurry, text overlays",
        seed=1234,
    )
    job, outcome, our_calls = ours(server, request, tmp_path)
    seen, their_calls = theirs(
        server, job.model, types.GenerateVideosSource(prompt=request.prompt), config_for(job)
    )
    compare(our_calls, their_calls)
    assert body(our_calls[0])["parameters"]["generateAudio"] is True  # said out loud, as the SDK can
    assert isinstance(outcome, Completed) and outcome.files["video"].read_bytes() == sample_media()["video"]
    video = seen[-1].response.generated_videos[0].video
    assert video.video_bytes == sample_media()["video"] and video.mime_type == "video/mp4"
    assert seen[0].done is None and seen[0].name == body(their_calls[1])["operationName"]
    assert body(our_calls[1])["operationName"] == job.upstream_id


def test_image_to_video_silent_in_portrait(server: FakeServer, tmp_path: Path) -> None:
    request = GenerationRequest(
        model="veo-3.1-fast-generate-001",
        prompt="The cat turns its head",
        seconds=4,
        size="720x1280",
        audio=False,
        input_reference="data:image/png;base64,...",
    )
    image = ImageInput(PNG, "image/png")
    job, _, our_calls = ours(server, request, tmp_path, image)
    source = types.GenerateVideosSource(
        prompt=request.prompt, image=types.Image(image_bytes=PNG, mime_type="image/png")
    )
    _, their_calls = theirs(server, job.model, source, config_for(job))
    compare(our_calls, their_calls)
    assert body(our_calls[0])["instances"][0]["image"]["bytesBase64Encoded"] == base64.b64encode(PNG).decode()


def test_a_gcs_source_video_and_a_gcs_answer(server: FakeServer, tmp_path: Path) -> None:
    request = GenerationRequest(
        model="veo-3.1-generate-001",
        prompt="GCS: continue, the camera pulls back",
        seconds=8,
        size="1280x720",
        video_uri="gs://demo-bucket/in/clip.mp4",
    )
    job, outcome, our_calls = ours(server, request, tmp_path)
    source = types.GenerateVideosSource(
        prompt=request.prompt, video=types.Video(uri="gs://demo-bucket/in/clip.mp4", mime_type="video/mp4")
    )
    seen, their_calls = theirs(server, job.model, source, config_for(job))
    compare(our_calls[:-1], their_calls)  # ours then reads the object: the SDK never downloads gs://
    assert our_calls[-1].path.startswith("/storage/v1/b/veo-out/o/") and our_calls[-1].query == "alt=media"
    assert isinstance(outcome, Completed)
    assert seen[-1].response.generated_videos[0].video.uri.startswith("gs://veo-out/")


def test_an_extension_is_generate_videos_with_the_source_video_bytes(
    server: FakeServer, tmp_path: Path
) -> None:
    """The gateway's extend (an upload, or the file it keeps of a job) is the SDK's generate_videos
    with `source.video` as bytes and the new part's length."""
    clip = sample_media()["video"]
    upload = VideoInput(clip, "video/mp4", seconds=8.0, width=1280, height=720, fps=24.0)
    request = GenerationRequest(model="veo-3.1-generate-001", prompt="the camera keeps rising", seconds=7)
    job, outcome, our_calls = ours(server, request, tmp_path, operation=SourceVideo(upload=upload))
    assert (job.seconds, job.size, job.params["extension_seconds"]) == (15, "1280x720", 7)
    source = types.GenerateVideosSource(
        prompt=request.prompt, video=types.Video(video_bytes=clip, mime_type="video/mp4")
    )
    seen, their_calls = theirs(server, job.model, source, config_for(job, duration_seconds=7))
    compare(our_calls, their_calls)
    sent = body(our_calls[0])
    assert sent["instances"][0]["video"] == {
        "bytesBase64Encoded": base64.b64encode(clip).decode(),
        "mimeType": "video/mp4",
    }
    assert sent["parameters"]["durationSeconds"] == 7
    assert isinstance(outcome, Completed) and seen[-1].response.generated_videos[0].video.video_bytes == clip


def test_veo_2_sends_no_resolution_and_no_audio_flag(server: FakeServer, tmp_path: Path) -> None:
    request = GenerationRequest(model="veo-2.0-generate-001", prompt="A river", seconds=5, size="1280x720")
    job, _, our_calls = ours(server, request, tmp_path)
    _, their_calls = theirs(
        server, job.model, types.GenerateVideosSource(prompt=request.prompt), config_for(job)
    )
    compare(our_calls, their_calls)


@pytest.mark.parametrize("prompt", ["FAIL please", "BLOCKED please"])
def test_failure_answers_mean_the_same_to_the_sdk_and_the_adapter(
    server: FakeServer, tmp_path: Path, prompt: str
) -> None:
    request = GenerationRequest(model="veo-3.1-generate-001", prompt=prompt, seconds=8, size="1280x720")
    job, outcome, _ = ours(server, request, tmp_path)
    seen, _ = theirs(server, job.model, types.GenerateVideosSource(prompt=prompt), config_for(job))
    op = seen[-1]
    assert isinstance(outcome, Failed)
    if prompt.startswith("FAIL"):
        assert op.error == {"code": 3, "message": outcome.message, "status": outcome.code}
    else:
        assert op.response.rai_media_filtered_count == 1 and not op.response.generated_videos
        assert outcome == Failed("content_filtered", op.response.rai_media_filtered_reasons[0])


def test_the_sdk_declares_no_allowed_values_the_catalog_should_follow() -> None:
    """Today the SDK types Veo's aspect ratio and resolution as plain `str`. Should an upgrade narrow
    them to Literals, the catalog's sizes must fall within them (and this test says so)."""
    catalog = Catalog.load().entry("vertex")
    checks = {
        "aspect_ratio": {aspect_ratio(s) for m in catalog.models.values() for s in m.sizes or ()},
        "resolution": {resolution_tier(s) for m in catalog.models.values() for s in m.sizes or ()},
    }
    for field, ours_ in checks.items():
        annotation = types.GenerateVideosConfig.model_fields[field].annotation
        literals = {a for arg in typing.get_args(annotation) for a in typing.get_args(arg)} - {type(None)}
        if literals:
            assert ours_ <= literals, (
                f"{field}: the catalog has {ours_ - literals}, the SDK allows {literals}"
            )
        else:
            assert annotation == (str | None), f"GenerateVideosConfig.{field} is now {annotation}"
