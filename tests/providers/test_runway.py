"""Runway's API through a real gateway process, against a loopback fake of its native API
(tests/fakes/runway_api.py, which refuses any create body the official `runwayml` SDK's request
types would not let through; the SDK itself is the oracle in tests/sdk_oracles/test_runway_oracle.py).
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.fakes.harness import Fault, png_bytes, sample_media
from tests.fakes.runway_api import KEY, RunwayFake, provider_fake
from tests.providers.gateway import GATEWAY_KEY, Stack, provider_stack, wait_done
from tests.support.media import image

PNG_URL = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()
CREATE = r"^/v1/(text|image)_to_video$"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with provider_stack(tmp_path_factory, provider_fake()) as stack:
        yield stack


@pytest.fixture
def api(stack: Stack) -> Iterator[httpx.Client]:
    with stack.api() as client:
        yield client


@pytest.fixture
def fake(stack: Stack) -> Iterator[RunwayFake]:
    state: RunwayFake = stack.fakes["runway"].state
    yield state
    state.polls_to_complete = 4
    stack.servers["runway"].app.faults.clear()


def creates(stack: Stack) -> list:
    return [c for c in stack.calls("runway", "POST") if c.path.endswith("_to_video")]


def create(api: httpx.Client, **fields) -> httpx.Response:
    return api.post("/v1/videos", json={"prompt": "a kite over dunes", **fields})


def test_text_to_video_is_created_polled_and_downloaded_without_the_key(api, stack, fake) -> None:
    r = create(api, model="runway/gen4.5", seconds=5, size="720x1280", seed=3)
    assert r.status_code == 200, r.text
    job = r.json()
    assert job["id"].endswith(":runway") and (job["seconds"], job["size"]) == (5, "720x1280")
    sent = creates(stack)[-1]
    assert sent.path == "/v1/text_to_video"
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    assert sent.headers["x-runway-version"] == "2024-11-06"
    assert sent.headers["content-type"] == "application/json"
    assert json.loads(sent.body) == {
        "model": "gen4.5",
        "promptText": "a kite over dunes",
        "duration": 5,
        "ratio": "720:1280",
        "seed": 3,
    }
    done = wait_done(api, job["id"])
    assert done["status"] == "completed", done
    assert api.get(f"/v1/videos/{job['id']}/content").content == sample_media()["video"]
    assert "authorization" not in fake.cdn_requests[-1]  # Runway's CDN URL never sees the key
    thumb = api.get(f"/v1/videos/{job['id']}/content", params={"variant": "thumbnail"})
    sheet = api.get(f"/v1/videos/{job['id']}/content", params={"variant": "spritesheet"})
    assert image(thumb.content).format == "WEBP" and image(sheet.content).format == "JPEG"  # derived
    task_id = next(t for t, task in fake.tasks.items() if task["body"]["promptText"] == "a kite over dunes")
    polls = [c for c in stack.calls("runway", "GET") if c.path == f"/v1/tasks/{task_id}"]
    assert len(polls) == fake.polls_to_complete  # PENDING, THROTTLED, RUNNING..., SUCCEEDED
    assert all(c.headers["x-runway-version"] == "2024-11-06" for c in polls)


def test_progress_is_mapped_from_runways_fraction(api, fake) -> None:
    fake.polls_to_complete = 10_000
    job = create(api, model="runway/veo3.1", seconds=4).json()
    assert job["status"] == "queued"
    seen: set[tuple[str, int]] = set()
    deadline = time.monotonic() + 10
    while not any(status == "in_progress" and 0 < progress < 100 for status, progress in seen):
        assert time.monotonic() < deadline, seen
        current = api.get(f"/v1/videos/{job['id']}").json()
        seen.add((current["status"], current["progress"]))
        time.sleep(0.05)
    assert api.delete(f"/v1/videos/{job['id']}").json()["deleted"] is True


def test_image_to_video_sends_the_image_to_its_endpoint(api, stack, fake) -> None:
    r = create(api, model="runway/gen4_turbo", seconds=10, size="1584x672", input_reference=PNG_URL)
    assert r.status_code == 200, r.text
    sent = creates(stack)[-1]
    assert sent.path == "/v1/image_to_video"
    assert json.loads(sent.body) == {
        "model": "gen4_turbo",
        "promptText": "a kite over dunes",
        "duration": 10,
        "ratio": "1584:672",
        "promptImage": PNG_URL,
    }
    assert wait_done(api, r.json()["id"])["status"] == "completed"


@pytest.mark.parametrize(
    ("fields", "path", "sent"),
    [
        (  # Veo: audio and a negative prompt, which vidgate used to refuse
            {
                "model": "runway/veo3.1_fast",
                "seconds": 6,
                "size": "1080x1920",
                "audio": True,
                "negative_prompt": "text overlays",
                "seed": 7,
            },
            "/v1/text_to_video",
            {
                "ratio": "1080:1920",
                "duration": 6,
                "audio": True,
                "negativePrompt": "text overlays",
                "seed": 7,
            },
        ),
        (  # an aspect ratio and a resolution tier instead of pixels
            {"model": "runway/hailuo3", "size": "2560x1440", "seconds": 6},
            "/v1/text_to_video",
            {"ratio": "16:9", "resolution": "2k", "duration": 6},
        ),
        (
            {"model": "runway/grok_imagine_1_5", "size": "1232x1648"},
            "/v1/text_to_video",
            {"ratio": "3:4", "resolution": "1080p", "duration": 5},
        ),
        (  # with an image: the tier only, the image's aspect ratio
            {"model": "runway/grok_imagine_1_5", "size": "720x720", "input_reference": PNG_URL},
            "/v1/image_to_video",
            {"resolution": "720p", "duration": 5, "promptImage": PNG_URL},
        ),
        (
            {"model": "runway/wan3", "size": "1104x832", "audio": False, "input_reference": PNG_URL},
            "/v1/image_to_video",
            {"ratio": "auto_720p", "duration": 5, "audio": False, "promptImage": PNG_URL},
        ),
        (
            {"model": "runway/kling_4", "size": "2200x940", "seconds": 12, "input_reference": PNG_URL},
            "/v1/image_to_video",
            {"ratio": "auto_1080p", "duration": 12, "promptImage": PNG_URL},
        ),
        (
            {"model": "runway/happyhorse_1_0", "size": "1248x1662", "input_reference": PNG_URL},
            "/v1/image_to_video",
            {"resolution": "1080p", "duration": 5, "promptImage": PNG_URL},
        ),
        (  # the video follows the image: nothing of a size is sent
            {"model": "runway/kling2.5_turbo_pro", "seconds": 10, "input_reference": PNG_URL},
            "/v1/image_to_video",
            {"duration": 10, "promptImage": PNG_URL},
        ),
        (
            {"model": "runway/seedance2", "size": "3840x1646", "seconds": 15, "seed": 11, "audio": True},
            "/v1/text_to_video",
            {"ratio": "3840:1646", "duration": 15, "seed": 11, "audio": True},
        ),
        (
            {"model": "runway/klingO3_4k", "size": "2880x2880", "audio": False},
            "/v1/text_to_video",
            {"ratio": "2880:2880", "duration": 5, "audio": False},
        ),
    ],
)
def test_each_kind_of_model_gets_the_fields_it_takes(api, stack, fake, fields, path, sent) -> None:
    r = create(api, **fields)
    assert r.status_code == 200, r.text  # the fake refuses what the SDK's types do not declare
    call = creates(stack)[-1]
    model = fields["model"].split("/", 1)[1]
    assert call.path == path
    assert json.loads(call.body) == {"model": model, "promptText": "a kite over dunes", **sent}
    api.delete(f"/v1/videos/{r.json()['id']}")


def test_defaults_are_sent_explicitly(api, stack, fake) -> None:
    job = create(api, model="runway/veo3.1").json()
    assert (job["seconds"], job["size"]) == (8, "1280x720")
    assert json.loads(creates(stack)[-1].body) == {
        "model": "veo3.1",
        "promptText": "a kite over dunes",
        "duration": 8,
        "ratio": "1280:720",
    }  # audio is Runway's default unless the caller sets it: nothing is invented
    api.delete(f"/v1/videos/{job['id']}")


@pytest.mark.parametrize(
    ("fields", "param", "says"),
    [
        ({"model": "runway/gen4_turbo"}, "input_reference", "makes video from an image only"),
        (
            {"model": "runway/gen4.5", "size": "1104x832"},
            "size",
            "does not take size 1104x832 without an input_reference; allowed: 1280x720, 720x1280",
        ),
        ({"model": "runway/gen4.5", "seconds": 11}, "seconds", "allowed: 2 to 10"),
        ({"model": "runway/veo3.1", "seconds": 5}, "seconds", "allowed: 4, 6, 8"),
        (
            {"model": "runway/veo3.1", "size": "1024x1792"},
            "size",
            "allowed: 1280x720, 720x1280, 1920x1080, 1080x1920",
        ),
        ({"model": "runway/hailuo3", "size": "1366x768"}, "size", "allowed: 1344x768, 768x1344"),
        (
            {"model": "runway/gen4.5", "negative_prompt": "rain"},
            "negative_prompt",
            "does not take negative_prompt",
        ),
        ({"model": "runway/gemini_omni_flash", "seed": 4}, "seed", "does not take seed"),
        ({"model": "runway/gen4.5", "audio": True}, "audio", "generates no audio"),
        ({"model": "runway/gemini_omni_flash", "audio": False}, "audio", "always generates audio"),
        (
            {"model": "runway/kling2.5_turbo_pro", "size": "1280x720", "input_reference": PNG_URL},
            "size",
            "follows the image; it takes no size",
        ),
        (
            {"model": "runway/veo3.1", "video_uri": "https://example.com/a.mp4"},
            "video_uri",
            "takes no source video",
        ),
        ({"model": "runway/gen5"}, "model", "runway offers runway/aleph2, runway/gemini_omni_flash"),
        ({"model": "runway/h3_max"}, "model", "does not exist"),  # deliberately left out
    ],
)
def test_values_a_model_cannot_take_are_refused_before_anything_is_sent(
    api, stack, fields, param, says
) -> None:
    before = len(creates(stack))
    r = create(api, **fields)
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert error["param"] == param and says in error["message"], error
    assert len(creates(stack)) == before


def test_veo3_is_retired_with_veo3_1_as_its_successor(api, stack) -> None:
    before = len(creates(stack))
    r = create(api, model="runway/veo3", seconds=8)
    assert r.status_code == 400
    body = r.json()
    assert body["error"]["code"] == "model_retired" and "use runway/veo3.1" in body["error"]["message"]
    assert body["extra_fields"]["details"]["successor"] == "runway/veo3.1"
    assert len(creates(stack)) == before


def test_a_failed_task_carries_runways_failure_and_code(api) -> None:
    job = create(api, model="runway/gen4.5", prompt="FAIL this one").json()
    done = wait_done(api, job["id"])
    assert done["status"] == "failed"
    assert done["error"] == {
        "code": "SAFETY.INPUT.TEXT",
        "message": "The prompt was flagged by content moderation.",
    }
    assert api.get(f"/v1/videos/{job['id']}/content").status_code == 404


def test_runways_refusals_come_back_with_its_message(api, stack, fake) -> None:
    server = stack.servers["runway"].app
    before = len(fake.tasks)
    server.inject(
        Fault(
            "status", 400, body={"error": "promptImage: the image is too small"}, method="POST", path=CREATE
        )
    )
    r = create(api, model="runway/gen4.5", input_reference=PNG_URL)
    assert r.status_code == 400, r.text
    body = r.json()
    assert body["error"]["message"] == "runway: promptImage: the image is too small"
    assert body["extra_fields"]["provider"] == "runway" and body["is_bifrost_error"] is False
    server.inject(Fault("status", 401, body={"error": "Invalid API key"}, method="POST", path=CREATE))
    r = create(api, model="runway/gen4.5")
    assert r.status_code >= 500 and "Invalid API key" in r.json()["error"]["message"]
    assert "the operator must fix the provider key" in r.json()["error"]["message"]
    assert len(fake.tasks) == before


def test_a_429_is_retried_and_creates_one_task(api, stack, fake) -> None:
    server = stack.servers["runway"].app
    server.inject(
        Fault(
            "status",
            429,
            headers={"retry-after": "0"},
            body={"error": "You have exceeded your rate limit"},
            method="POST",
            path=CREATE,
        )
    )
    server.inject(Fault("status", 429, body={"error": "slow down"}, method="GET", path="^/v1/tasks/"))
    tasks, posts = len(fake.tasks), len(creates(stack))
    r = create(api, model="runway/gen4.5", prompt="retry me")
    assert r.status_code == 200, r.text
    assert (len(fake.tasks), len(creates(stack))) == (tasks + 1, posts + 2)
    assert wait_done(api, r.json()["id"])["status"] == "completed"


def test_a_429_that_persists_is_a_429_with_runways_message(api, stack, fake) -> None:
    stack.servers["runway"].app.inject(
        Fault("status", 429, body={"error": "You have exceeded your rate limit"}, path=CREATE, times=10)
    )
    tasks = len(fake.tasks)
    r = create(api, model="runway/gen4.5", prompt="still limited")
    assert r.status_code == 429, r.text
    assert r.json()["error"]["message"] == "runway: You have exceeded your rate limit"
    assert "retry-after" in r.headers and len(fake.tasks) == tasks


def test_a_lost_create_answer_is_never_sent_again(api, stack, fake) -> None:
    stack.servers["runway"].app.inject(Fault("lost_answer", method="POST", path=CREATE))
    tasks, posts = len(fake.tasks), len(creates(stack))
    r = create(api, model="runway/gen4.5", prompt="lost answer")
    assert r.status_code == 200, r.text
    done = wait_done(api, r.json()["id"])
    # Runway has no way to find a task by anything but its id: the job fails rather than paying twice
    assert done["status"] == "failed" and done["error"]["code"] == "submission_unknown", done
    assert (len(fake.tasks), len(creates(stack))) == (tasks + 1, posts + 1)


def test_delete_while_running_cancels_the_runway_task(api, stack, fake) -> None:
    fake.polls_to_complete = 10_000
    job = create(api, model="runway/seedance2_fast", prompt="long", seconds=15).json()
    task_id = max(fake.tasks, key=lambda t: fake.tasks[t]["n"])
    r = api.delete(f"/v1/videos/{job['id']}")
    assert r.status_code == 200 and r.json()["deleted"] is True
    assert task_id in fake.deleted and fake.tasks[task_id]["status"] == "CANCELLED"
    deleted = stack.calls("runway", "DELETE")[-1]
    assert deleted.path == f"/v1/tasks/{task_id}" and deleted.headers["authorization"] == f"Bearer {KEY}"
    assert api.get(f"/v1/videos/{job['id']}").status_code == 404


def test_delete_of_a_finished_or_forgotten_task_still_deletes_ours(api, stack, fake) -> None:
    job = create(api, model="runway/gen4.5", prompt="finished").json()
    assert wait_done(api, job["id"])["status"] == "completed"
    task_id = next(t for t, task in fake.tasks.items() if task["body"]["promptText"] == "finished")
    assert api.delete(f"/v1/videos/{job['id']}").json()["deleted"] is True  # Runway: 204
    assert task_id in fake.deleted
    job = create(api, model="runway/gen4.5", prompt="forgotten").json()
    assert wait_done(api, job["id"])["status"] == "completed"
    task_id = next(t for t, task in fake.tasks.items() if task["body"]["promptText"] == "forgotten")
    del fake.tasks[task_id]  # gone at Runway: its DELETE is a 404
    assert api.delete(f"/v1/videos/{job['id']}").json()["deleted"] is True
    assert stack.calls("runway", "DELETE")[-1].path == f"/v1/tasks/{task_id}"


def test_the_catalog_shows_every_runway_model_with_its_limits_and_prices(api) -> None:
    models = {m["id"]: m for m in api.get("/v1/models").json()["data"] if m["provider"] == "runway"}
    assert len(models) == 26 and "runway/h3_max" not in models
    assert (
        models["runway/aleph2"]["operations"] == ["edit"]
        and "video_edit" in models["runway/aleph2"]["capabilities"]
    )
    assert "video_edit" not in models["runway/gen4.5"]["capabilities"]  # edits are per model
    assert models["runway/veo3"]["lifecycle"] == "retired"
    assert models["runway/gen4_turbo"]["note"].startswith("Image to video only")
    assert models["runway/veo3.1"]["price"]["per_second_with_audio"] == {"*": 0.4}
    assert "third-party" in models["runway/wan3"]["price"]["source"]
    assert "price" not in models["runway/kling_4"] and "seconds" not in models["runway/kling_4"]
    assert models["runway/seedance2"]["seconds"] == {"min": 4, "max": 15}
    assert "upstream" not in models["runway/gen4.5"]  # the adapter's own layout is not served


def test_a_job_through_the_openai_sdk_completes(stack, fake) -> None:
    import openai

    sdk = openai.OpenAI(base_url=f"{stack.gateway.url}/openai/v1", api_key=GATEWAY_KEY, max_retries=0)
    video = sdk.videos.create(model="runway/veo3.1", prompt="via openai", seconds="8", size="1920x1080")  # type: ignore[arg-type]
    body = fake.latest()["body"]
    assert (body["ratio"], body["duration"]) == ("1920:1080", 8)
    done = sdk.videos.poll(video.id, poll_interval_ms=100)
    assert done.status == "completed", done.error
    assert sdk.videos.download_content(video.id).read() == sample_media()["video"]


def test_a_job_through_the_generated_client_completes(stack, fake) -> None:
    from vidgate_client import AuthenticatedClient
    from vidgate_client.api.videos import video_download, video_generation, video_retrieve
    from vidgate_client.models import VideoGenerationRequest, VideoGenerationResponse, VideoStatus

    with AuthenticatedClient(base_url=stack.gateway.url, token=GATEWAY_KEY, timeout=30) as client:
        body = VideoGenerationRequest.from_dict(
            {"model": "runway/kling3.0_pro", "prompt": "via the client", "seconds": 8, "size": "1440x1440"}
        )
        job = video_generation.sync(client=client, body=body)
        assert isinstance(job, VideoGenerationResponse), job
        assert job.extra_fields.provider.value == "runway"
        deadline = time.monotonic() + 20
        while (current := video_retrieve.sync(job.id, client=client)).status not in (
            VideoStatus.COMPLETED,
            VideoStatus.FAILED,
        ):
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert current.status == VideoStatus.COMPLETED
        assert video_download.sync_detailed(job.id, client=client).content == sample_media()["video"]
    assert fake.latest()["body"] == {
        "model": "kling3.0_pro",
        "promptText": "via the client",
        "duration": 8,
        "ratio": "1440:1440",
    }


def test_an_operators_model_without_runway_endpoints_is_a_clear_400() -> None:
    from pydantic import SecretStr

    from vidgate.catalog import Catalog
    from vidgate.config import ProviderSettings
    from vidgate.domain import InvalidRequest
    from vidgate.providers.base import GenerationRequest
    from vidgate.providers.runway import RunwayVideos

    provider = RunwayVideos(ProviderSettings(api_key=SecretStr(KEY)))
    provider.catalog = Catalog.load({"runway": {"models": {"gen5": {"seconds": [5]}}}}).entry("runway")
    with pytest.raises(InvalidRequest) as refused:
        provider.prepare(GenerationRequest(model="gen5", prompt="new"))
    assert refused.value.param == "model" and "names no Runway endpoint" in refused.value.message


def test_edits_go_to_video_to_video_with_the_source_as_a_data_uri(stack: Stack, api: httpx.Client) -> None:
    first = create(api, model="runway/gen4.5", prompt="a street at noon", seconds=5)
    assert first.status_code == 200, first.text
    video_id = first.json()["id"]
    first_done = wait_done(api, video_id)
    assert first_done["status"] == "completed", first_done
    kept = api.get(f"/v1/videos/{video_id}/content").content

    # gen4.5 makes videos but does not edit them: its own model refuses, aleph2 takes it
    own = api.post("/v1/videos/edits", json={"prompt": "in snow", "video": {"id": video_id}})
    assert own.status_code == 400 and own.json()["error"]["code"] == "unsupported_operation"
    r = api.post(
        "/v1/videos/edits", json={"prompt": "in snow", "model": "runway/aleph2", "video": {"id": video_id}}
    )
    assert r.status_code == 200, r.text
    assert r.json()["id"].endswith(":runway") and r.json()["model"] == "runway/aleph2"
    sent = creates(stack)[-1]
    assert sent.path == "/v1/video_to_video"
    assert json.loads(sent.body) == {
        "model": "aleph2",
        "videoUri": "data:video/mp4;base64," + base64.b64encode(kept).decode(),
        "promptText": "in snow",
    }
    done = wait_done(api, r.json()["id"])
    assert done["status"] == "completed" and done["seconds"] == first.json()["seconds"]

    upload = api.post(
        "/v1/videos/edits",
        data={"prompt": "in rain", "model": "runway/aleph2"},
        files={"video": ("clip.mp4", kept, "video/mp4")},
    )
    assert upload.status_code == 200, upload.text
    assert json.loads(creates(stack)[-1].body)["promptText"] == "in rain"
    made = api.post("/v1/videos", json={"model": "runway/aleph2", "prompt": "x"})
    assert made.status_code == 400 and "edits videos only" in made.json()["error"]["message"]
