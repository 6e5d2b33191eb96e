"""The official SDK as the oracle for `gemini`: google-genai 3.x's `client.interactions` (the
Interactions API client generated into `google/genai/_gaos`) and `client.files`, with an API key and
`HttpOptions(base_url=<the fake>, api_version="v1beta")`, against the same fake the adapter talks to
(tests/fakes/gemini.py). SDK 3.x refuses `generate_videos` on the Gemini API (Veo there is shut
down); video there is an interaction with a Gemini Omni model, and that the SDK does have.

For the same values the adapter's requests (create, poll, file state, file download, cancel, delete)
must be the SDK's; every answer the fake gives must validate against the SDK's own interaction and
file types, with no field the SDK does not know, and mean to the SDK what it means to the adapter.
The catalog's models, aspect ratios and resolutions are held against the SDK's Literal types."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import functools
import re
import typing
from pathlib import Path
from typing import Any

import httpx
import pydantic
import pytest
from google import genai
from google.genai import types
from google.genai._gaos.types.interactions import model as model_types
from google.genai._gaos.types.interactions import videoresponseformat
from google.genai._gaos.types.interactions.interaction import Interaction, InteractionStatus

from tests.fakes.gemini import KEY, GeminiFake
from tests.fakes.harness import Call, FakeServer, png_bytes, sample_media
from vidgate.catalog import Catalog, resolution_tier
from vidgate.domain import ImageInput, JobRecord, JobStatus
from vidgate.providers.base import Completed, Failed, GenerationRequest
from vidgate.providers.checks import aspect_ratio
from vidgate.providers.gemini import GeminiOmni

from ._google import adapter, body, run, same_request, since

# What may differ between the adapter's requests and the SDK's, and why.
ACCEPTED_DIFFERENCES = {
    "headers.user-agent": "the SDK names itself (google-genai-sdk/<version>); httpx names itself",
    "headers.x-goog-api-client": "the SDK's telemetry header; the API does not need it",
    "headers.accept": "httpx sends */*, the SDK application/json; both get JSON",
    "headers.content-type (no body)": "the SDK labels its body-less GET/DELETE/cancel requests JSON",
    "download uri": "ours downloads the uri the answer gave; the SDK is handed the file's name (it reads"
    " only googleapis.com URIs): both GET files/{id}:download?alt=media",
}
# Fields of the published answers the SDK's types do not declare (the fake sends them as Google does).
NOT_IN_SDK = {
    "answer.object": "`object: interaction`, in the raw REST answers of https://ai.google.dev/gemini-api/docs/omni",
}
SKIP = {"user-agent", "x-goog-api-client", "accept"}
SKIP_BODYLESS = SKIP | {"content-type"}
PNG = png_bytes()


@pytest.fixture(scope="module")
def fake() -> GeminiFake:
    return GeminiFake(polls_to_complete=2)


@pytest.fixture(scope="module")
def server(fake: GeminiFake):
    with FakeServer(fake.app()) as server:
        yield server


@functools.cache  # one client a server: each builds its TLS contexts, a good part of a second
def sdk(server: FakeServer) -> genai.Client:
    return genai.Client(
        api_key=KEY, http_options=types.HttpOptions(base_url=server.url, api_version="v1beta")
    )


def ours(server: FakeServer, request: GenerationRequest, tmp_path: Path, image: ImageInput | None = None):
    mark = len(server.app.calls)
    job, outcome = run(adapter(GeminiOmni, server, api_key=KEY), request, image, tmp_path / "ours")
    return job, outcome, since(server, mark)


def create_args(job: JobRecord, image: bytes | None = None) -> dict[str, Any]:
    """The SDK's create, given the values the adapter sends (the SDK sends only what it is given)."""
    given: Any = job.prompt
    if image is not None:  # a list of contents, as Google's examples write it: the SDK makes it a step
        given = [
            {"type": "image", "data": base64.b64encode(image).decode(), "mime_type": "image/png"},
            {"type": "text", "text": job.prompt},
        ]
    generation: dict[str, Any] = {"video_config": {"task": "image_to_video" if image else "text_to_video"}}
    if job.params.get("seed") is not None:
        generation["seed"] = job.params["seed"]
    return {
        "model": job.model,
        "input": given,
        "background": True,
        "response_format": {
            "type": "video",
            "aspect_ratio": aspect_ratio(job.size),
            "resolution": resolution_tier(job.size),
            "duration": f"{job.seconds}s",
            "delivery": "uri",
        },
        "generation_config": generation,
    }


def theirs(server: FakeServer, args: dict[str, Any]) -> tuple[list[Interaction], list[Call]]:
    mark = len(server.app.calls)
    client = sdk(server)
    seen = [client.interactions.create(**args)]
    while seen[-1].status in ("queued", "in_progress"):
        seen.append(client.interactions.get(seen[0].id))
    return seen, since(server, mark)


def strict(value: Any, where: str = "answer") -> None:
    """No field the SDK does not declare (but those in NOT_IN_SDK), and no variant it does not know,
    anywhere in a parsed answer."""
    if isinstance(value, pydantic.BaseModel):
        assert not getattr(value, "is_unknown", False), f"{where}: a variant the SDK does not know: {value}"
        extra = {
            k: v for k, v in (value.__pydantic_extra__ or {}).items() if f"{where}.{k}" not in NOT_IN_SDK
        }
        assert not extra, f"{where}: fields the SDK does not know: {extra}"
        for name, item in value.__dict__.items():  # not getattr: deprecated fields warn when read
            strict(item, f"{where}.{name}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            strict(item, f"{where}[{i}]")


def valid_interaction(raw: dict) -> Interaction:
    parsed = Interaction.model_validate(raw)
    strict(parsed)
    assert parsed.status in typing.get_args(typing.get_args(InteractionStatus)[0])
    for step in parsed.steps or []:
        for content in getattr(step, "content", None) or []:
            if getattr(content, "data", None):
                base64.b64decode(content.data, validate=True)  # Base64EncodedString does not check
    return parsed


def test_text_to_video_create_and_polls(fake: GeminiFake, server: FakeServer, tmp_path: Path) -> None:
    request = GenerationRequest(
        model="gemini-omni-1.1-flash",
        prompt="A marble on a wooden track",
        seconds=8,
        size="1920x1080",
        seed=7,
    )
    job, outcome, our_calls = ours(server, request, tmp_path)
    seen, their_calls = theirs(server, create_args(job))
    assert [c.method for c in our_calls] == [c.method for c in their_calls] == ["POST", "GET", "GET"]
    same_request(our_calls[0], their_calls[0], SKIP)
    assert body(our_calls[0])["generation_config"]["seed"] == 7
    for mine, sdks in zip(our_calls[1:], their_calls[1:], strict=True):
        assert mine.path == f"/v1beta/interactions/{job.upstream_id}"
        assert sdks.path == f"/v1beta/interactions/{seen[0].id}"
        assert (mine.method, mine.query) == (sdks.method, sdks.query) == ("GET", "stream=false")
        assert mine.headers["x-goog-api-key"] == sdks.headers["x-goog-api-key"] == KEY
        same_request(mine, dataclasses.replace(sdks, path=mine.path), SKIP_BODYLESS)
    assert isinstance(outcome, Completed)
    video = seen[-1].output_video  # the SDK's own reading of the answer
    assert video is not None and base64.b64decode(video.data) == sample_media()["video"]
    assert outcome.files["video"].read_bytes() == sample_media()["video"]


def test_image_to_video_by_uri_reads_the_file_as_the_sdk_does(server: FakeServer, tmp_path: Path) -> None:
    request = GenerationRequest(
        model="gemini-omni-1.2-flash",
        prompt="URI: turn this drawing into footage",
        seconds=15,
        size="3840x2160",
        input_reference="data:image/png;base64,...",
    )
    job, outcome, our_calls = ours(server, request, tmp_path, ImageInput(PNG, "image/png"))
    seen, their_calls = theirs(server, create_args(job, PNG))
    same_request(our_calls[0], their_calls[0], SKIP)
    assert isinstance(outcome, Completed) and outcome.files["video"].read_bytes() == sample_media()["video"]

    # What ours did after the interaction completed: the file's state until ACTIVE, then the download.
    file_calls = [c for c in our_calls if c.path.startswith("/v1beta/files/")]
    our_file = file_calls[0].path.removeprefix("/v1beta/files/")
    assert [c.path for c in file_calls] == [f"/v1beta/files/{our_file}"] * 2 + [
        f"/v1beta/files/{our_file}:download"
    ]
    uri = seen[-1].output_video.uri  # the SDK's own interaction's file
    file_id = uri.split("/files/")[1].split(":")[0]
    client = sdk(server)
    mark = len(server.app.calls)
    while (found := client.files.get(name=f"files/{file_id}")).state != types.FileState.ACTIVE:
        assert found.state == types.FileState.PROCESSING
    assert client.files.download(file=f"files/{file_id}") == sample_media()["video"]
    sdk_file_calls = since(server, mark)
    theirs_as_ours = [dataclasses.replace(c, path=c.path.replace(file_id, our_file)) for c in sdk_file_calls]
    same_request(file_calls[-2], theirs_as_ours[-2], SKIP_BODYLESS)  # GET files/{id}
    mine, sdks = file_calls[-1], theirs_as_ours[-1]  # the download
    assert (mine.method, mine.path, mine.query) == (sdks.method, sdks.path, sdks.query)
    assert mine.headers["x-goog-api-key"] == sdks.headers["x-goog-api-key"] == KEY


async def cancel_and_close(provider: GeminiOmni, job: JobRecord) -> None:
    try:
        await provider.cancel(job)
    finally:
        await provider.aclose()


def test_cancel_and_delete_are_the_sdks(fake: GeminiFake, server: FakeServer) -> None:
    provider = adapter(GeminiOmni, server, api_key=KEY)
    client = sdk(server)
    calls: dict[str, list[Call]] = {}
    for who in ("ours", "sdk"):
        created = client.interactions.create(model="gemini-omni-1.1-flash", input="SLOW", background=True)
        mark = len(server.app.calls)
        if who == "ours":
            job = JobRecord(
                id="j",
                tenant="t",
                provider="gemini",
                model="gemini-omni-1.1-flash",
                status=JobStatus.IN_PROGRESS,
                prompt="SLOW",
                seconds=8,
                size="1280x720",
                created_at=0,
                upstream_id=created.id,
            )
            asyncio.run(cancel_and_close(provider, job))
        else:
            assert client.interactions.cancel(created.id).status == "cancelled"
            client.interactions.delete(created.id)
        calls[who] = since(server, mark)
        assert created.id in fake.cancelled and created.id in fake.deleted

    def shape(call: Call) -> Call:  # each side cancels the interaction it made
        return dataclasses.replace(call, path=re.sub(r"/interactions/[^/]+", "/interactions/ID", call.path))

    mine = [shape(c) for c in calls["ours"]]
    assert [(c.method, c.path) for c in mine] == [
        ("POST", "/v1beta/interactions/ID/cancel"),
        ("DELETE", "/v1beta/interactions/ID"),
    ]
    for ours_call, sdk_call in zip(mine, [shape(c) for c in calls["sdk"]], strict=True):
        same_request(ours_call, sdk_call, SKIP_BODYLESS)


@pytest.mark.parametrize(
    ("prompt", "code", "message"),
    [
        ("FAIL on capacity", "RESOURCE_EXHAUSTED", "The video could not be generated: capacity."),
        ("BLOCKED scene", "3", "The prompt was blocked by the safety filters."),
        ("WORDS only", "no_output", "I can't make that video."),
    ],
)
def test_failure_answers_mean_the_same_to_the_sdk(
    server: FakeServer, tmp_path: Path, prompt, code, message
) -> None:
    request = GenerationRequest(model="gemini-omni-1.1-flash", prompt=prompt, seconds=4, size="1280x720")
    job, outcome, _ = ours(server, request, tmp_path)
    seen, _ = theirs(server, create_args(job))
    assert outcome == Failed(code, message)
    final = seen[-1]
    assert final.output_video is None
    if prompt.startswith("FAIL"):
        assert final.status == "failed" and (final.errors[0].code, final.errors[0].message) == (code, message)
    elif prompt.startswith("BLOCKED"):
        error = final.steps[-1].error
        assert final.status == "failed" and (str(error.code), error.message) == (code, message)
    else:
        assert final.status == "completed" and final.output_text == message


def test_every_answer_the_fake_gives_validates_against_the_sdk_types(
    fake: GeminiFake, server: FakeServer
) -> None:
    """Each shape, fetched raw and validated strictly: the create answer, in progress, inline video,
    uri video, the failure shapes, a cancelled one; and the Files API's PROCESSING and ACTIVE files."""
    headers = {"x-goog-api-key": KEY}
    with httpx.Client(base_url=f"{server.url}/v1beta", headers=headers) as http:
        statuses = set()
        for prompt in ("plain", "URI please", "FAIL x", "BLOCKED x", "WORDS x", "SLOW x"):
            delivery = "uri" if prompt.startswith("URI") else "inline"
            created = http.post(
                "/interactions",
                json={"model": "gemini-omni-1.2-flash", "input": prompt, "background": True,
                      "response_format": {"type": "video", "delivery": delivery}},
            )  # fmt: skip
            assert created.status_code == 200, created.text
            statuses.add(valid_interaction(created.json()).status)
            for _ in range(fake.polls_to_complete):
                statuses.add(
                    valid_interaction(http.get(f"/interactions/{created.json()['id']}").json()).status
                )
            if prompt.startswith("SLOW"):
                statuses.add(
                    valid_interaction(http.post(f"/interactions/{created.json()['id']}/cancel").json()).status
                )
            if prompt.startswith("URI"):
                uri = http.get(f"/interactions/{created.json()['id']}").json()["steps"][-1]["content"][0][
                    "uri"
                ]
                file_id = uri.split("/files/")[1].split(":")[0]
                for _ in range(2):
                    raw = http.get(f"/files/{file_id}").json()
                    parsed = types.File.model_validate(raw)  # camelCase, extra fields forbidden
                    assert parsed.state in (types.FileState.PROCESSING, types.FileState.ACTIVE)
        unary = http.post("/interactions", json={"model": "gemini-omni-1.1-flash", "input": "unary"})
        statuses.add(valid_interaction(unary.json()).status)
    assert statuses == {"in_progress", "completed", "failed", "cancelled"}


def test_the_catalog_holds_to_the_sdks_literals() -> None:
    """Models the gateway offers on `gemini`, and the aspect ratios and resolutions their sizes send,
    are values the SDK declares (a stale catalog fails here when the SDK is upgraded)."""
    entry = Catalog.load().entry("gemini")
    offered = [m for m in entry.models.values() if not m.retired()]
    models = set(typing.get_args(typing.get_args(model_types.Model)[0]))
    ratios = set(typing.get_args(typing.get_args(videoresponseformat.VideoResponseFormatAspectRatio)[0]))
    resolutions = set(typing.get_args(typing.get_args(videoresponseformat.Resolution)[0]))
    assert offered and {m.name for m in offered} <= models
    assert not any(m.startswith("veo") for m in models)  # why the Veo models are retired here
    for spec in offered:
        assert {aspect_ratio(s) for s in spec.sizes or ()} <= ratios, spec.id
        assert {resolution_tier(s) for s in spec.sizes or ()} <= resolutions, spec.id
