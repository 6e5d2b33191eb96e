"""Luma's Dream Machine API through a real gateway process, against a fake of its native API
(tests/fakes/luma.py, which follows Luma's OpenAPI document and the official `lumaai` SDK; the SDK
itself is the oracle in tests/sdk_oracles/test_luma_oracle.py)."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

from tests.fakes.harness import FakeServer, Fault, png_bytes, sample_media
from tests.fakes.luma import MODERATION, PREFIX, LumaFake, provider_fake
from tests.providers.gateway import GATEWAY_KEY, Stack, provider_stack, wait_done
from tests.support.media import image

CREATE = f"^{PREFIX}/generations/video$"
PNG_DATA_URL = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with provider_stack(tmp_path_factory, provider_fake()) as stack:
        yield stack


@pytest.fixture(scope="module")
def image_host() -> Iterator[FakeServer]:
    """Where a caller keeps its start frame: an http(s) URL both the gateway and Luma fetch."""

    async def start_png(request) -> Response:
        return Response(png_bytes(), media_type="image/png")

    with FakeServer(Starlette(routes=[Route("/frames/start.png", start_png)])) as server:
        yield server


@pytest.fixture
def api(stack: Stack) -> Iterator[httpx.Client]:
    with stack.api() as client:
        yield client


@pytest.fixture
def fake(stack: Stack) -> Iterator[LumaFake]:
    state: LumaFake = stack.fakes["luma"].state
    yield state
    state.polls_to_complete = 3


def creates_sent(stack: Stack) -> int:
    return sum(1 for c in stack.calls("luma", "POST") if c.path.startswith(f"{PREFIX}/generations"))


def test_text_to_video_is_created_polled_and_downloaded_without_the_key(api, stack, fake) -> None:
    r = api.post(
        "/v1/videos",
        json={"model": "luma/ray-2", "prompt": "a paper boat", "seconds": 9, "size": "720x1280"},
    )
    assert r.status_code == 200, r.text
    job = r.json()
    assert job["id"].endswith(":luma") and (job["seconds"], job["size"]) == (9, "720x1280")
    sent = [c for c in stack.calls("luma", "POST")][-1]
    assert sent.path == f"{PREFIX}/generations/video"
    assert sent.headers["authorization"] == f"Bearer {fake.key}"
    assert sent.headers["content-type"] == "application/json"
    assert json.loads(sent.body) == {
        "model": "ray-2",
        "prompt": "a paper boat",
        "aspect_ratio": "9:16",
        "resolution": "720p",
        "duration": "9s",
    }
    done = wait_done(api, job["id"])
    assert done["status"] == "completed", done
    assert api.get(f"/v1/videos/{job['id']}/content").content == sample_media()["video"]
    assert "authorization" not in fake.cdn_requests[-1]  # Luma's CDN never sees the key
    thumb = api.get(f"/v1/videos/{job['id']}/content", params={"variant": "thumbnail"})
    sheet = api.get(f"/v1/videos/{job['id']}/content", params={"variant": "spritesheet"})
    assert image(thumb.content).format == "WEBP" and image(sheet.content).format == "JPEG"  # derived
    polls = [c for c in stack.calls("luma", "GET") if c.path.startswith(f"{PREFIX}/generations/")]
    assert len(polls) >= fake.polls_to_complete  # queued -> dreaming -> completed, one poll each


def test_progress_goes_from_queued_to_in_progress_while_luma_is_dreaming(api, fake) -> None:
    fake.polls_to_complete = 10_000
    job = api.post("/v1/videos", json={"model": "luma/ray-flash-2", "prompt": "slow"}).json()
    assert job["status"] == "queued"
    deadline = time.monotonic() + 10
    while api.get(f"/v1/videos/{job['id']}").json()["status"] != "in_progress":
        assert time.monotonic() < deadline, "never in_progress"
        time.sleep(0.05)
    assert api.delete(f"/v1/videos/{job['id']}").json()["deleted"] is True


def test_defaults_are_sent_explicitly_and_priced(api, fake) -> None:
    job = api.post("/v1/videos", json={"model": "luma/ray-flash-2", "prompt": "defaults"}).json()
    assert (job["seconds"], job["size"]) == (5, "1280x720")
    assert fake.latest()["body"] == {
        "model": "ray-flash-2",
        "prompt": "defaults",
        "aspect_ratio": "16:9",
        "resolution": "720p",
        "duration": "5s",
    }
    models = {m["id"]: m for m in api.get("/v1/models").json()["data"]}
    assert models["luma/ray-flash-2"]["price"]["per_second"]["720p"] == 0.0487
    assert "third-party" in models["luma/ray-2"]["price"]["source"]


def test_every_catalog_size_reaches_luma_as_its_ratio_and_resolution(api, fake) -> None:
    for size, ratio, resolution in (
        ("540x540", "1:1", "540p"),
        ("1440x1080", "4:3", "1080p"),
        ("2160x5040", "9:21", "4k"),
        ("1680x720", "21:9", "720p"),
    ):
        r = api.post("/v1/videos", json={"model": "luma/ray-2", "prompt": size, "size": size})
        assert r.status_code == 200, r.text
        body = fake.latest()["body"]
        assert (body["aspect_ratio"], body["resolution"]) == (ratio, resolution), size


def test_image_to_video_sends_the_callers_url_as_frame0(api, fake, image_host) -> None:
    url = f"{image_host.url}/frames/start.png"
    r = api.post(
        "/v1/videos",
        json={"model": "luma/ray-2", "prompt": "zoom out", "seconds": 5, "input_reference": url},
    )
    assert r.status_code == 200, r.text
    assert fake.latest()["body"]["keyframes"] == {"frame0": {"type": "image", "url": url}}
    assert image_host.app.count("GET", "^/frames/start.png$") >= 1  # the gateway checked it first
    assert wait_done(api, r.json()["id"])["status"] == "completed"


def test_a_data_url_or_an_upload_is_refused_before_anything_is_sent(api, stack, fake) -> None:
    before = creates_sent(stack)
    r = api.post(
        "/v1/videos", json={"model": "luma/ray-2", "prompt": "inline", "input_reference": PNG_DATA_URL}
    )
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert error["param"] == "input_reference" and error["code"] == "image_url_required"
    assert "http(s) URL" in error["message"] and "no image upload" in error["message"]
    # the same image uploaded as a multipart file (what the OpenAI SDK sends)
    import openai

    sdk = openai.OpenAI(base_url=f"{stack.gateway.url}/openai/v1", api_key=GATEWAY_KEY, max_retries=0)
    with pytest.raises(openai.BadRequestError) as refused:
        sdk.videos.create(
            model="luma/ray-2",
            prompt="uploaded",
            input_reference=("start.png", png_bytes(), "image/png"),
        )
    assert refused.value.code == "image_url_required"
    assert creates_sent(stack) == before


@pytest.mark.parametrize(
    ("fields", "param", "allowed"),
    [
        ({"seconds": 6}, "seconds", "allowed: 5, 9"),
        ({"size": "1000x1000"}, "size", "allowed: 960x540, 540x960, 540x540"),
        ({"size": "1024x576"}, "size", "1280x720, 720x1280"),
        ({"negative_prompt": "rain"}, "negative_prompt", "does not take negative_prompt"),
        ({"seed": 4}, "seed", "does not take seed"),
        ({"audio": True}, "audio", "generates no audio"),
        ({"model": "luma/ray-3"}, "model", "luma offers luma/ray-2, luma/ray-flash-2"),
    ],
)
def test_values_luma_cannot_take_are_refused_listing_the_allowed_ones(
    api, stack, fields, param, allowed
) -> None:
    before = creates_sent(stack)
    r = api.post("/v1/videos", json={"model": "luma/ray-2", "prompt": "x", **fields})
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert error["param"] == param and allowed in error["message"], error
    assert creates_sent(stack) == before


def test_ray_1_6_is_retired_with_ray_2_as_its_successor(api, stack) -> None:
    before = creates_sent(stack)
    r = api.post("/v1/videos", json={"model": "luma/ray-1-6", "prompt": "old"})
    assert r.status_code == 400
    body = r.json()
    assert body["error"]["code"] == "model_retired" and "use luma/ray-2" in body["error"]["message"]
    assert body["extra_fields"]["details"]["successor"] == "luma/ray-2"
    assert creates_sent(stack) == before


def test_a_failed_generation_carries_lumas_failure_reason(api) -> None:
    job = api.post("/v1/videos", json={"model": "luma/ray-2", "prompt": "FAIL this"}).json()
    done = wait_done(api, job["id"])
    assert done["status"] == "failed"
    assert done["error"] == {"code": "provider_failed", "message": MODERATION}
    assert api.get(f"/v1/videos/{job['id']}/content").status_code == 404


def test_lumas_refusals_come_back_with_its_detail(api, stack, fake) -> None:
    server = stack.servers["luma"]
    server.app.inject(
        Fault("status", 400, body={"detail": "Insufficient credits"}, method="POST", path=CREATE)
    )
    created = fake.created
    r = api.post("/v1/videos", json={"model": "luma/ray-2", "prompt": "broke"})
    assert r.status_code == 400, r.text
    body = r.json()
    assert body["error"]["message"] == "luma: Insufficient credits"
    assert body["extra_fields"]["provider"] == "luma" and body["is_bifrost_error"] is False
    server.app.inject(
        Fault("status", 401, body={"detail": "Invalid API key is provided"}, method="POST", path=CREATE)
    )
    r = api.post("/v1/videos", json={"model": "luma/ray-2", "prompt": "bad key"})
    assert r.status_code >= 500 and "Invalid API key is provided" in r.json()["error"]["message"]
    assert fake.created == created


def test_a_429_is_retried_once_and_creates_one_generation(api, stack, fake) -> None:
    server = stack.servers["luma"]
    server.app.inject(
        Fault(
            "status",
            429,
            headers={"retry-after": "0"},
            body={"detail": "Too many concurrent generations"},
            method="POST",
            path=CREATE,
        )
    )
    server.app.inject(Fault("status", 429, body={"detail": "slow down"}, method="GET", path="/generations/"))
    created, posts = fake.created, creates_sent(stack)
    r = api.post("/v1/videos", json={"model": "luma/ray-2", "prompt": "retry me"})
    assert r.status_code == 200, r.text
    assert (fake.created, creates_sent(stack)) == (created + 1, posts + 2)
    assert wait_done(api, r.json()["id"])["status"] == "completed"


def test_a_429_that_persists_is_a_429_with_lumas_detail_and_nothing_created(api, stack, fake) -> None:
    stack.servers["luma"].app.inject(
        Fault("status", 429, body={"detail": "Too many concurrent generations"}, path=CREATE, times=10)
    )
    created = fake.created
    try:
        r = api.post("/v1/videos", json={"model": "luma/ray-2", "prompt": "still limited"})
    finally:
        stack.servers["luma"].app.faults.clear()
    assert r.status_code == 429, r.text
    assert r.json()["error"]["message"] == "luma: Too many concurrent generations"
    assert "retry-after" in r.headers and fake.created == created


def test_a_lost_create_answer_is_not_sent_again_and_is_found_by_listing(api, stack, fake) -> None:
    stack.servers["luma"].app.inject(Fault("lost_answer", method="POST", path=CREATE))
    created, posts = fake.created, creates_sent(stack)
    r = api.post("/v1/videos", json={"model": "luma/ray-2", "prompt": "lost answer", "seconds": 9})
    assert r.status_code == 200, r.text
    done = wait_done(api, r.json()["id"])
    assert done["status"] == "completed", done
    assert (fake.created, creates_sent(stack)) == (created + 1, posts + 1)  # never re-sent
    listed = [c for c in stack.calls("luma", "GET") if c.path == f"{PREFIX}/generations"]
    assert listed and "limit=100" in listed[-1].query


def test_delete_while_dreaming_deletes_the_luma_generation(api, stack, fake) -> None:
    fake.polls_to_complete = 10_000
    job = api.post("/v1/videos", json={"model": "luma/ray-2", "prompt": "long"}).json()
    gen_id = fake.order[-1]
    r = api.delete(f"/v1/videos/{job['id']}")
    assert r.status_code == 200 and r.json()["deleted"] is True
    assert gen_id in fake.deleted
    deletes = [c for c in stack.calls("luma", "DELETE")]
    assert deletes[-1].path == f"{PREFIX}/generations/{gen_id}"
    assert deletes[-1].headers["authorization"] == f"Bearer {fake.key}"
    assert api.get(f"/v1/videos/{job['id']}").status_code == 404


def test_delete_of_a_generation_luma_already_forgot_still_deletes_ours(api, fake) -> None:
    job = api.post("/v1/videos", json={"model": "luma/ray-2", "prompt": "forgotten"}).json()
    assert wait_done(api, job["id"])["status"] == "completed"
    gen_id = next(g for g, rec in fake.generations.items() if rec["body"]["prompt"] == "forgotten")
    del fake.generations[gen_id]  # deleted on Luma's side (its dashboard)
    fake.order.remove(gen_id)
    assert api.delete(f"/v1/videos/{job['id']}").json()["deleted"] is True


def test_a_job_through_the_openai_sdk_completes(stack, fake) -> None:
    import openai

    sdk = openai.OpenAI(base_url=f"{stack.gateway.url}/openai/v1", api_key=GATEWAY_KEY, max_retries=0)
    video = sdk.videos.create(model="luma/ray-flash-2", prompt="via openai", seconds="9", size="1920x1080")
    assert fake.latest()["body"]["resolution"] == "1080p" and fake.latest()["body"]["duration"] == "9s"
    done = sdk.videos.poll(video.id, poll_interval_ms=100)
    assert done.status == "completed", done.error
    assert sdk.videos.download_content(video.id).read() == sample_media()["video"]


def test_a_job_through_the_generated_client_completes(stack, fake) -> None:
    from vidgate_client import AuthenticatedClient
    from vidgate_client.api.videos import video_download, video_generation, video_retrieve
    from vidgate_client.models import VideoGenerationRequest, VideoGenerationResponse, VideoStatus

    with AuthenticatedClient(base_url=stack.gateway.url, token=GATEWAY_KEY, timeout=30) as client:
        body = VideoGenerationRequest.from_dict(
            {"model": "luma/ray-2", "prompt": "via the client", "seconds": 5, "size": "960x540"}
        )
        job = video_generation.sync(client=client, body=body)
        assert isinstance(job, VideoGenerationResponse), job
        assert job.extra_fields.provider.value == "luma"
        deadline = time.monotonic() + 20
        while (current := video_retrieve.sync(job.id, client=client)).status not in (
            VideoStatus.COMPLETED,
            VideoStatus.FAILED,
        ):
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert current.status == VideoStatus.COMPLETED
        assert video_download.sync_detailed(job.id, client=client).content == sample_media()["video"]
    assert fake.latest()["body"]["resolution"] == "540p"
