"""DashScope (Alibaba Model Studio, Wan) through a real gateway, against a fake of its native API
(tests/fakes/dashscope.py); the `dashscope` SDK is the oracle for the wire (tests/sdk_oracles)."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator

import httpx
import openai
import pytest
from vidgate_client import AuthenticatedClient
from vidgate_client.api.videos import video_download, video_generation, video_retrieve
from vidgate_client.models import VideoGenerationRequest, VideoGenerationResponse, VideoStatus

from tests.fakes.dashscope import KEY, DashScopeFake, provider_fake
from tests.fakes.harness import Fault, png_bytes, sample_media
from tests.providers.gateway import GATEWAY_KEY, Stack, provider_stack, wait_done
from tests.support.media import image

PNG_URL = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()
CREATE = "/api/v1/services/aigc/video-generation/video-synthesis"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with provider_stack(tmp_path_factory, provider_fake()) as stack:
        yield stack


@pytest.fixture
def api(stack: Stack) -> Iterator[httpx.Client]:
    with stack.api() as client:
        yield client


@pytest.fixture
def fake(stack: Stack) -> Iterator[DashScopeFake]:
    fake: DashScopeFake = stack.fakes["dashscope"].state
    yield fake
    fake.pending_polls, fake.running_polls = 1, 1


def creates(stack: Stack) -> list:
    return [c for c in stack.calls("dashscope", "POST") if c.path == CREATE]


def last_task(fake: DashScopeFake) -> dict:
    return list(fake.tasks.values())[-1]


def test_text_to_video_lifecycle_progress_download_and_stills(
    api: httpx.Client, stack: Stack, fake: DashScopeFake
) -> None:
    fake.pending_polls, fake.running_polls = 3, 3
    r = api.post(
        "/v1/videos",
        json={
            "model": "dashscope/wan2.6-t2v",
            "prompt": "a kitten running in the moonlight",
            "seconds": 7,
            "size": "1088x832",
            "negative_prompt": "blurry",
            "seed": 42,
        },
    )
    assert r.status_code == 200, r.text
    job = r.json()
    assert job["id"].endswith(":dashscope") and job["status"] == "queued"
    sent = creates(stack)[-1]
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    assert sent.headers["x-dashscope-async"] == "enable"
    assert sent.headers["content-type"].startswith("application/json")
    assert json.loads(sent.body) == {
        "model": "wan2.6-t2v",
        "input": {"prompt": "a kitten running in the moonlight", "negative_prompt": "blurry"},
        "parameters": {"size": "1088*832", "duration": 7, "seed": 42},
    }
    seen = set()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        current = api.get(f"/v1/videos/{job['id']}").json()
        seen.add(current["status"])
        if current["status"] in ("completed", "failed"):
            break
        time.sleep(0.03)
    assert current["status"] == "completed", current
    assert {"queued", "in_progress"} <= seen, seen  # PENDING, then RUNNING, were shown as ours
    polls = [c for c in stack.calls("dashscope", "GET") if c.path.startswith("/api/v1/tasks/")]
    assert polls and all(c.headers["authorization"] == f"Bearer {KEY}" for c in polls)
    assert "x-dashscope-async" not in polls[-1].headers  # only the create is marked async

    assert api.get(f"/v1/videos/{job['id']}/content").content == sample_media()["video"]
    assert "authorization" not in fake.output_requests[-1]  # the presigned OSS URL gets no key
    thumb = api.get(f"/v1/videos/{job['id']}/content", params={"variant": "thumbnail"})
    assert image(thumb.content).format == "WEBP"  # derived by the gateway
    sheet = api.get(f"/v1/videos/{job['id']}/content", params={"variant": "spritesheet"})
    assert image(sheet.content).format == "JPEG"


def test_wan27_text_to_video_says_the_size_as_resolution_and_ratio(api: httpx.Client, fake) -> None:
    r = api.post(
        "/v1/videos",
        json={"model": "dashscope/wan2.7-t2v", "prompt": "rain on a tin roof", "size": "1248x1632"},
    )
    assert r.status_code == 200, r.text
    assert r.json()["seconds"] == 5 and r.json()["size"] == "1248x1632"  # the catalog's default seconds
    assert last_task(fake)["body"] == {
        "model": "wan2.7-t2v",
        "input": {"prompt": "rain on a tin roof"},
        "parameters": {"resolution": "1080P", "ratio": "3:4", "duration": 5},
    }
    assert wait_done(api, r.json()["id"])["status"] == "completed"


def test_image_to_video_legacy_img_url_with_audio_switch(api: httpx.Client, fake) -> None:
    r = api.post(
        "/v1/videos",
        json={
            "model": "dashscope/wan2.6-i2v-flash",
            "prompt": "the cat turns its head",
            "input_reference": PNG_URL,
            "seconds": 3,
            "size": "1920x1080",
            "audio": False,
        },
    )
    assert r.status_code == 200, r.text
    assert last_task(fake)["body"] == {
        "model": "wan2.6-i2v-flash",
        "input": {"prompt": "the cat turns its head", "img_url": PNG_URL},
        "parameters": {"resolution": "1080P", "duration": 3, "audio": False},
    }
    assert wait_done(api, r.json()["id"])["status"] == "completed"


def test_wan27_image_to_video_sends_the_image_as_a_first_frame_media_item(api: httpx.Client, fake) -> None:
    r = api.post(
        "/v1/videos",
        json={"model": "dashscope/wan2.7-i2v", "prompt": "dance", "input_reference": PNG_URL, "seconds": 8},
    )
    assert r.status_code == 200, r.text
    assert last_task(fake)["body"] == {
        "model": "wan2.7-i2v",
        "input": {"prompt": "dance", "media": [{"type": "first_frame", "url": PNG_URL}]},
        "parameters": {"resolution": "720P", "duration": 8},
    }
    assert wait_done(api, r.json()["id"])["status"] == "completed"


@pytest.mark.parametrize(
    ("body", "param", "says"),
    [
        ({"model": "dashscope/wan2.6-t2v", "seconds": 16}, "seconds", "allowed: 2 to 15"),
        ({"model": "dashscope/wan2.5-t2v-preview", "seconds": 7}, "seconds", "allowed: 5, 10"),
        ({"model": "dashscope/wan2.2-t2v-plus", "size": "1280x720"}, "size", "allowed: 832x480, 480x832"),
        (
            {"model": "dashscope/wan2.7-i2v", "input_reference": PNG_URL, "size": "720x1280"},
            "size",
            "1920x1080",
        ),
        ({"model": "dashscope/wan2.2-t2v-plus", "audio": True}, "audio", "generates no audio"),
        ({"model": "dashscope/wan2.6-t2v", "audio": False}, "audio", "always generates audio"),
        ({"model": "dashscope/wan2.6-i2v"}, "input_reference", "send input_reference"),
        ({"model": "dashscope/wan2.6-t2v", "input_reference": PNG_URL}, "input_reference", "no reference"),
        ({"model": "dashscope/wan2.6-t2v", "seed": 2147483648}, "seed", "allowed: 0 to 2147483647"),
        ({"model": "dashscope/wan2.6-t2v", "video_uri": "https://x/v.mp4"}, "video_uri", "no source video"),
        ({"model": "dashscope/wan9-t2v"}, "model", "dashscope/wan2.6-t2v"),
    ],
)
def test_values_the_model_cannot_take_are_refused_before_anything_is_sent(
    api: httpx.Client, stack: Stack, body: dict, param: str, says: str
) -> None:
    before = len(creates(stack))
    r = api.post("/v1/videos", json={"prompt": "x", **body})
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert error["param"] == param and says in error["message"], error
    assert len(creates(stack)) == before


def test_audio_is_switched_only_where_the_model_has_a_switch(api: httpx.Client, fake) -> None:
    r = api.post(
        "/v1/videos", json={"model": "dashscope/wan2.7-t2v", "prompt": "a brass band", "audio": True}
    )
    assert r.status_code == 200, r.text  # it always has a soundtrack: nothing to ask for
    assert "audio" not in last_task(fake)["body"]["parameters"]
    r = api.post(
        "/v1/videos",
        json={
            "model": "dashscope/wan2.6-i2v-flash",
            "prompt": "x",
            "input_reference": PNG_URL,
        },
    )
    assert r.status_code == 200, r.text  # its switch is on by default: said out loud, the job records it
    assert last_task(fake)["body"]["parameters"]["audio"] is True


def test_a_failed_task_is_a_failed_job_with_dashscopes_code_and_message(api: httpx.Client) -> None:
    r = api.post("/v1/videos", json={"model": "dashscope/wan2.2-t2v-plus", "prompt": "FAIL this"})
    done = wait_done(api, r.json()["id"])
    assert done["status"] == "failed"
    assert done["error"] == {
        "code": "DataInspectionFailed",
        "message": "Output data may contain inappropriate content.",
    }


def test_an_expired_or_unknown_task_fails_the_job(api: httpx.Client) -> None:
    r = api.post("/v1/videos", json={"model": "dashscope/wan2.6-t2v", "prompt": "EXPIRE soon"})
    done = wait_done(api, r.json()["id"])
    assert done["status"] == "failed" and done["error"]["code"] == "task_unknown"


def test_a_refused_create_is_an_error_with_dashscopes_message(api: httpx.Client, stack: Stack) -> None:
    r = api.post("/v1/videos", json={"model": "dashscope/wan2.6-t2v", "prompt": "BADPARAM"})
    assert r.status_code == 400, r.text
    assert r.json()["extra_fields"]["error_type"] == "provider_rejected"
    assert r.json()["is_bifrost_error"] is False
    error = r.json()["error"]
    assert "InvalidParameter: The prompt is not valid for this model (request_id req-" in error["message"]


def test_429_throttling_is_retried_on_create_and_poll(api: httpx.Client, stack: Stack, fake) -> None:
    server = stack.servers["dashscope"].app
    throttled = {
        "request_id": "r-1",
        "code": "Throttling.RateQuota",
        "message": "Requests rate limit exceeded",
    }
    server.inject(
        Fault("status", 429, headers={"retry-after": "0"}, body=throttled, method="POST", path=CREATE)
    )
    before = len(creates(stack))
    r = api.post("/v1/videos", json={"model": "dashscope/wan2.6-t2v", "prompt": "busy day"})
    assert r.status_code == 200, r.text
    assert len(creates(stack)) == before + 2  # refused once, then accepted: one task
    server.inject(Fault("status", 429, body=throttled, method="GET", path="/api/v1/tasks/", times=2))
    assert wait_done(api, r.json()["id"])["status"] == "completed"

    server.inject(Fault("status", 429, body=throttled, method="POST", path=CREATE, times=10))
    try:
        r = api.post("/v1/videos", json={"model": "dashscope/wan2.6-t2v", "prompt": "still busy"})
        assert r.status_code == 429, r.text
        assert "Throttling.RateQuota: Requests rate limit exceeded" in r.json()["error"]["message"]
    finally:
        server.faults.clear()


def test_a_lost_create_answer_is_never_resubmitted(api: httpx.Client, stack: Stack, fake) -> None:
    stack.servers["dashscope"].app.inject(Fault("lost_answer", method="POST", path=CREATE))
    before = len(fake.tasks)
    r = api.post("/v1/videos", json={"model": "dashscope/wan2.6-t2v", "prompt": "lost"})
    assert r.status_code == 200, r.text
    done = wait_done(api, r.json()["id"])
    assert done["status"] == "failed" and done["error"]["code"] == "submission_unknown"
    assert len(fake.tasks) == before + 1  # DashScope got it once; the gateway did not send it again


def test_delete_cancels_a_queued_task_and_leaves_a_running_one(
    api: httpx.Client, stack: Stack, fake: DashScopeFake
) -> None:
    fake.pending_polls = 1000
    queued = api.post("/v1/videos", json={"model": "dashscope/wan2.6-t2v", "prompt": "wait"}).json()
    task_id = list(fake.tasks)[-1]
    assert api.delete(f"/v1/videos/{queued['id']}").json()["deleted"] is True
    assert fake.tasks[task_id]["status"] == "CANCELED" and task_id in fake.cancelled
    assert api.get(f"/v1/videos/{queued['id']}").status_code == 404

    fake.pending_polls, fake.running_polls = 0, 1000
    running = api.post("/v1/videos", json={"model": "dashscope/wan2.6-t2v", "prompt": "busy"}).json()
    task_id = list(fake.tasks)[-1]
    deadline = time.monotonic() + 10
    while api.get(f"/v1/videos/{running['id']}").json()["status"] != "in_progress":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    cancels = len([c for c in stack.calls("dashscope", "POST") if c.path.endswith("/cancel")])
    assert api.delete(f"/v1/videos/{running['id']}").json()["deleted"] is True
    assert len([c for c in stack.calls("dashscope", "POST") if c.path.endswith("/cancel")]) == cancels
    assert fake.tasks[task_id]["status"] == "RUNNING"  # a running task cannot be cancelled upstream


def test_through_the_official_openai_sdk(stack: Stack) -> None:
    sdk = openai.OpenAI(base_url=f"{stack.gateway.url}/openai/v1", api_key=GATEWAY_KEY, max_retries=0)
    video = sdk.videos.create_and_poll(
        model="dashscope/wan2.6-t2v",  # type: ignore[arg-type]
        prompt="a lighthouse at dusk",
        seconds="10",  # type: ignore[arg-type]
        size="1920x1080",  # type: ignore[arg-type]
        poll_interval_ms=100,
    )
    assert video.status == "completed", video.error
    assert video.model == "dashscope/wan2.6-t2v" and video.seconds == "10" and video.size == "1920x1080"
    assert sdk.videos.download_content(video.id).read() == sample_media()["video"]
    fake: DashScopeFake = stack.fakes["dashscope"].state
    assert last_task(fake)["body"]["parameters"] == {"size": "1920*1080", "duration": 10}


def test_through_the_generated_client(stack: Stack) -> None:
    with AuthenticatedClient(base_url=stack.gateway.url, token=GATEWAY_KEY, timeout=30) as client:
        body = VideoGenerationRequest.from_dict(
            {
                "model": "dashscope/wan2.5-i2v-preview",
                "prompt": "waves",
                "input_reference": PNG_URL,
                "seconds": 10,
            }
        )
        job = video_generation.sync(client=client, body=body)
        assert isinstance(job, VideoGenerationResponse), job
        deadline = time.monotonic() + 20
        while job.status not in (VideoStatus.COMPLETED, VideoStatus.FAILED):
            assert time.monotonic() < deadline, job
            time.sleep(0.1)
            job = video_retrieve.sync(job.id, client=client)
            assert isinstance(job, VideoGenerationResponse), job
        assert job.status == VideoStatus.COMPLETED, job.error
        assert video_download.sync_detailed(job.id, client=client).content == sample_media()["video"]
    fake: DashScopeFake = stack.fakes["dashscope"].state
    assert last_task(fake)["body"]["parameters"] == {"resolution": "720P", "duration": 10}
