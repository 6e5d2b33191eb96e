"""`gemini` (video on the Gemini API: the Interactions API with Gemini Omni) through a real gateway,
against the fake in tests/fakes/gemini.py; what it sends is held against the official SDK in
tests/sdk_oracles/test_gemini_oracle.py."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import httpx
import openai
import pytest
from vidgate_client import AuthenticatedClient
from vidgate_client.api.videos import video_download, video_generation, video_retrieve
from vidgate_client.models import VideoGenerationRequest, VideoGenerationResponse, VideoStatus

from tests.fakes.gemini import GeminiFake
from tests.fakes.harness import Fault, png_bytes, sample_media
from tests.support.media import image

from .gateway import GATEWAY_KEY, Stack, provider_stack, wait_done

OMNI = "gemini/gemini-omni-1.1-flash"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with provider_stack(tmp_path_factory, GeminiFake.provider_fake()) as stack:
        yield stack


@pytest.fixture
def api(stack: Stack) -> Iterator[httpx.Client]:
    with stack.api() as client:
        yield client


def fake(stack: Stack) -> GeminiFake:
    return stack.fakes["gemini"].state


def creates(stack: Stack) -> list:
    return [c for c in stack.calls("gemini", "POST") if c.path == "/v1beta/interactions"]


def test_text_to_video_is_a_background_interaction_polled_to_an_inline_video(
    stack: Stack, api: httpx.Client
) -> None:
    r = api.post(
        "/v1/videos",
        json={"model": OMNI, "prompt": "waves at dawn", "seconds": 8, "size": "1920x1080", "seed": 7},
    )
    assert r.status_code == 200, r.text
    job = r.json()
    assert job["id"].endswith(":gemini") and job["seconds"] == 8 and job["size"] == "1920x1080"
    sent = creates(stack)[-1]
    assert sent.headers["x-goog-api-key"] == stack.fakes["gemini"].secrets["API_KEY"]
    assert "authorization" not in sent.headers
    assert json.loads(sent.body) == {
        "model": "gemini-omni-1.1-flash",
        "input": "waves at dawn",
        "background": True,
        "response_format": {
            "type": "video",
            "aspect_ratio": "16:9",
            "resolution": "1080p",
            "duration": "8s",
            "delivery": "uri",
        },
        "generation_config": {"video_config": {"task": "text_to_video"}, "seed": 7},
    }
    done = wait_done(api, job["id"])
    assert done["status"] == "completed", done
    upstream_id = list(fake(stack).interactions)[-1]
    polls = [c for c in stack.calls("gemini", "GET") if c.path == f"/v1beta/interactions/{upstream_id}"]
    assert len(polls) >= 2 and all(c.query == "stream=false" for c in polls)  # in_progress, then done
    assert api.get(f"/v1/videos/{job['id']}/content").content == sample_media()["video"]
    sheet = api.get(f"/v1/videos/{job['id']}/content", params={"variant": "spritesheet"})
    assert image(sheet.content).format == "JPEG"  # derived by the gateway
    thumb = api.get(f"/v1/videos/{job['id']}/content", params={"variant": "thumbnail"})
    assert image(thumb.content).format == "WEBP"
    r = api.post(f"/v1/videos/{job['id']}/remix", json={"prompt": "x"})
    assert r.json()["error"]["message"] == "video_remix is not supported by gemini provider"


def test_image_to_video_in_4k_by_uri_reads_the_file_once_active(stack: Stack, api: httpx.Client) -> None:
    png = png_bytes()
    r = api.post(
        "/v1/videos",
        json={
            "model": "gemini/gemini-omni-1.2-flash",
            "prompt": "URI: the drawing comes alive",
            "input_reference": "data:image/png;base64," + base64.b64encode(png).decode(),
            "seconds": 12,
            "size": "2160x3840",
        },
    )
    assert r.status_code == 200, r.text
    body = json.loads(creates(stack)[-1].body)
    assert body["input"] == [
        {
            "type": "user_input",
            "content": [
                {"type": "image", "data": base64.b64encode(png).decode(), "mime_type": "image/png"},
                {"type": "text", "text": "URI: the drawing comes alive"},
            ],
        }
    ]
    assert body["generation_config"] == {"video_config": {"task": "image_to_video"}}
    assert body["response_format"] == {
        "type": "video",
        "aspect_ratio": "9:16",
        "resolution": "4k",
        "duration": "12s",
        "delivery": "uri",
    }
    done = wait_done(api, r.json()["id"])
    assert done["status"] == "completed", done
    file_id = fake(stack).downloads[-1]
    assert fake(stack).file_looks[file_id] >= 2  # PROCESSING first: not downloaded until ACTIVE
    download = [c for c in stack.calls("gemini", "GET") if c.path.endswith(":download")][-1]
    assert download.query == "alt=media" and download.headers["x-goog-api-key"]
    assert api.get(f"/v1/videos/{r.json()['id']}/content").content == sample_media()["video"]


@pytest.mark.parametrize(
    ("prompt", "code", "message"),
    [
        ("FAIL on capacity", "RESOURCE_EXHAUSTED", "The video could not be generated: capacity."),
        ("BLOCKED scene", "3", "The prompt was blocked by the safety filters."),
        ("WORDS only", "no_output", "I can't make that video."),
    ],
)
def test_failure_shapes_end_the_job_with_the_providers_code_and_message(
    api: httpx.Client, prompt: str, code: str, message: str
) -> None:
    r = api.post("/v1/videos", json={"model": OMNI, "prompt": prompt, "seconds": 4})
    assert r.status_code == 200, r.text
    done = wait_done(api, r.json()["id"])
    assert done["status"] == "failed"
    assert done["error"] == {"code": code, "message": message}


def test_a_rate_limited_create_is_retried(stack: Stack, api: httpx.Client) -> None:
    before = len(creates(stack))
    stack.servers["gemini"].app.inject(
        Fault("status", 429, headers={"retry-after": "0"}, method="POST", path="^/v1beta/interactions$")
    )
    r = api.post("/v1/videos", json={"model": OMNI, "prompt": "after a 429"})
    assert r.status_code == 200, r.text
    assert len(creates(stack)) == before + 2
    assert wait_done(api, r.json()["id"])["status"] == "completed"


@pytest.mark.parametrize(
    ("fields", "param", "says"),
    [
        ({"seconds": 11}, "seconds", "allowed: 3 to 10"),
        ({"size": "1024x1024"}, "size", "1280x720, 720x1280, 640x360, 360x640, 1920x1080"),
        (
            {"model": "gemini/gemini-omni-flash-preview", "size": "1920x1080"},
            "size",
            "allowed: 1280x720, 720x1280",
        ),
        ({"audio": False}, "audio", "always generates audio"),
        ({"negative_prompt": "boats"}, "negative_prompt", "gemini does not take negative_prompt"),
        ({"video_uri": "https://example.com/a.mp4"}, "video_uri", "takes no source video"),
        ({"model": "gemini/veo-3.1-generate-preview"}, "model", "use gemini/gemini-omni-1.1-flash"),
        ({"model": "gemini/veo-2.0-generate-001"}, "model", "retired on 2026-06-30"),
        ({"model": "gemini/no-such-model"}, "model", "gemini offers gemini/gemini-omni-1.1-flash"),
    ],
)
def test_values_a_model_cannot_take_are_refused_before_anything_is_sent(
    stack: Stack, api: httpx.Client, fields: dict, param: str, says: str
) -> None:
    before = len(stack.calls("gemini"))
    r = api.post("/v1/videos", json={"model": OMNI, "prompt": "x", **fields})
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert error["param"] == param and says in error["message"], error
    assert len(stack.calls("gemini")) == before


def test_delete_cancels_a_running_interaction_and_deletes_it_upstream(
    stack: Stack, api: httpx.Client
) -> None:
    running = api.post("/v1/videos", json={"model": OMNI, "prompt": "SLOW sunset"}).json()
    upstream = list(fake(stack).interactions)[-1]
    assert api.delete(f"/v1/videos/{running['id']}").json()["deleted"] is True
    assert fake(stack).cancelled[-1] == upstream and fake(stack).deleted[-1] == upstream

    done = api.post("/v1/videos", json={"model": OMNI, "prompt": "finished first"}).json()
    upstream = list(fake(stack).interactions)[-1]
    assert wait_done(api, done["id"])["status"] == "completed"
    cancels = len(fake(stack).cancelled)
    assert api.delete(f"/v1/videos/{done['id']}").json()["deleted"] is True
    assert len(fake(stack).cancelled) == cancels and fake(stack).deleted[-1] == upstream
    assert api.get(f"/v1/videos/{done['id']}").status_code == 404


def test_a_job_through_the_openai_sdk(stack: Stack) -> None:
    sdk = openai.OpenAI(base_url=f"{stack.gateway.url}/openai/v1", api_key=GATEWAY_KEY, max_retries=0)
    video = sdk.videos.create_and_poll(
        model=OMNI,  # type: ignore[arg-type]
        prompt="a lighthouse, through the OpenAI SDK",
        seconds="8",  # type: ignore[arg-type]
        size="720x1280",  # type: ignore[arg-type]
        poll_interval_ms=100,
    )
    assert video.status == "completed" and video.id.endswith(":gemini") and video.model == OMNI
    assert sdk.videos.download_content(video.id).read() == sample_media()["video"]
    sent = json.loads(creates(stack)[-1].body)
    assert sent["input"] == "a lighthouse, through the OpenAI SDK"
    assert sent["response_format"]["aspect_ratio"] == "9:16" and sent["response_format"]["duration"] == "8s"


def test_a_job_through_the_generated_client(stack: Stack) -> None:
    with AuthenticatedClient(base_url=stack.gateway.url, token=GATEWAY_KEY, timeout=30) as client:
        body = VideoGenerationRequest.from_dict(
            {"model": OMNI, "prompt": "a kite, through the generated client", "seconds": 6, "size": "640x360"}
        )
        job = video_generation.sync(client=client, body=body)
        assert isinstance(job, VideoGenerationResponse), job
        with stack.api() as api:
            assert wait_done(api, job.id)["status"] == "completed"
        retrieved = video_retrieve.sync(job.id, client=client)
        assert isinstance(retrieved, VideoGenerationResponse) and retrieved.status == VideoStatus.COMPLETED
        assert video_download.sync_detailed(job.id, client=client).content == sample_media()["video"]
    assert json.loads(creates(stack)[-1].body)["response_format"]["resolution"] == "360p"


def test_the_models_list_shows_omni_and_the_shut_down_veo_models(api: httpx.Client) -> None:
    models = {m["id"]: m for m in api.get("/v1/models").json()["data"] if m["provider"] == "gemini"}
    assert models[OMNI]["lifecycle"] == "available" and models[OMNI]["audio"] == "always"
    assert models["gemini/gemini-omni-1.2-flash"]["price"]["per_second"]["4k"] > 0
    veo = models["gemini/veo-3.1-generate-preview"]
    assert veo["lifecycle"] == "retired" and veo["successor"] == OMNI and veo["retires_on"] == "2026-10-22"
