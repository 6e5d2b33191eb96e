"""`ark` (BytePlus ModelArk, Seedance) through a real gateway in front of a fake of ModelArk's native
API (tests/fakes/ark.py); what the adapter sends is held against the official SDK in
tests/sdk_oracles/test_ark_oracle.py."""

from __future__ import annotations

import base64
import io
import time
from collections.abc import Iterator

import httpx
import openai
import pytest
from PIL import Image
from vidgate_client import AuthenticatedClient
from vidgate_client.api.videos import video_download, video_generation, video_retrieve
from vidgate_client.models import ModelProvider, VideoGenerationRequest, VideoGenerationResponse, VideoStatus

from tests.fakes.ark import MODELS, ArkFake
from tests.fakes.harness import Fault, sample_media
from tests.providers.gateway import GATEWAY_KEY, Stack, provider_stack, wait_done
from tests.support.media import image as open_image
from vidgate.catalog import Catalog
from vidgate.providers.ark import seedance_shape

TASKS = "/api/v3/contents/generations/tasks"
RATE_LIMITED = {
    "error": {
        "code": "RateLimitExceeded.EndpointRPMExceeded",
        "message": "The Requests Per Minute (RPM) limit of the associated endpoint for your account has "
        "been exceeded. Request id: 021764460800000deadbeef",
        "type": "TooManyRequests",
    }
}
# Ark's output sizes per (resolution, ratio), from its Create-task reference
# (https://docs.byteplus.com/en/docs/ModelArk/1520757): Seedance 1.0, then 1.5 pro and 2.0.
RATIO_ORDER = ("16:9", "4:3", "1:1", "3:4", "9:16", "21:9")
V1 = {
    "480p": ("864x480", "736x544", "640x640", "544x736", "480x864", "960x416"),
    "720p": ("1248x704", "1120x832", "960x960", "832x1120", "704x1248", "1504x640"),
    "1080p": ("1920x1088", "1664x1248", "1440x1440", "1248x1664", "1088x1920", "2176x928"),
}
V2 = {
    "480p": ("864x496", "752x560", "640x640", "560x752", "496x864", "992x432"),
    "720p": ("1280x720", "1112x834", "960x960", "834x1112", "720x1280", "1470x630"),
    "1080p": ("1920x1080", "1664x1248", "1440x1440", "1248x1664", "1080x1920", "2206x946"),
    "4k": ("3840x2160", "3326x2494", "2880x2880", "2494x3326", "2160x3840", "4398x1886"),
}


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with provider_stack(tmp_path_factory, ArkFake.provider_fake()) as stack:
        yield stack


@pytest.fixture
def api(stack: Stack) -> Iterator[httpx.Client]:
    with stack.api() as client:
        yield client


@pytest.fixture
def fake(stack: Stack) -> Iterator[ArkFake]:
    state: ArkFake = stack.fakes["ark"].state
    yield state
    state.queued_polls, state.polls_to_complete = 1, 3
    stack.servers["ark"].app.faults.clear()


def png_url(width: int, height: int) -> str:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(buf, "PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def posts(stack: Stack) -> int:
    return len(stack.calls("ark", "POST"))


def wait_for(check, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


# --- without a gateway: the size mapping and the catalog against Ark's documented tables ----------


@pytest.mark.parametrize("family", [V1, V2], ids=["seedance-1.0", "seedance-1.5-2.0"])
def test_every_documented_size_maps_to_its_resolution_and_ratio(family) -> None:
    for resolution, sizes in family.items():
        for ratio, size in zip(RATIO_ORDER, sizes, strict=True):
            assert seedance_shape(size) == (resolution, ratio), size


def test_sizes_ark_does_not_render_are_refused_by_the_mapping() -> None:
    from vidgate.domain import InvalidRequest

    for size in ("1000x500", "7680x4320", "320x180", "1280x960x"):
        with pytest.raises(InvalidRequest):
            seedance_shape(size)


def test_catalog_sizes_are_arks_and_the_fake_takes_the_same_models() -> None:
    entry = Catalog.load().entry("ark")
    live = {name: spec for name, spec in entry.models.items() if not spec.retired()}
    assert set(live) == set(MODELS)  # the fake serves exactly the models the catalog offers
    for name, spec in entry.models.items():
        family = V1 if "-1-0-" in name else V2
        documented = {size for res, sizes in family.items() for size in sizes}
        assert spec.sizes and set(spec.sizes) <= documented, name
        assert len({seedance_shape(s) for s in spec.sizes}) == len(spec.sizes), name  # one size per pair
        assert spec.default_size in spec.sizes and spec.takes_seconds(spec.default_seconds or 0)
        assert spec.price and all(spec.price.per_second_for(s) for s in spec.sizes), name
        if name in MODELS:
            fake = MODELS[name]
            assert {seedance_shape(s)[0] for s in spec.sizes} == set(fake.resolutions), name
            assert spec.seconds_range == fake.seconds, name
            assert (spec.audio != "never") == fake.audio, name
    retired = {name: spec for name, spec in entry.models.items() if spec.retired()}
    assert set(retired) == {"seedance-1-0-lite-t2v-250428", "seedance-1-0-lite-i2v-250428"}
    assert all(spec.successor in {f"ark/{m}" for m in live} for spec in retired.values())


# --- through the gateway ---------------------------------------------------------------------------


def test_text_to_video_progresses_completes_and_downloads(
    stack: Stack, api: httpx.Client, fake: ArkFake
) -> None:
    fake.queued_polls, fake.polls_to_complete = 1000, 2000
    prompt = "A paper boat drifts on a quiet lake at sunrise"
    r = api.post(
        "/v1/videos",
        json={
            "model": "ark/seedance-1-5-pro-251215",
            "prompt": prompt,
            "seconds": 6,
            "size": "834x1112",
            "seed": 7,
        },
    )
    assert r.status_code == 200, r.text
    job, task_id = r.json(), max(fake.tasks)
    assert job["status"] == "queued" and job["seconds"] == 6 and job["size"] == "834x1112"
    sent = stack.calls("ark", "POST")[-1]
    assert sent.path == TASKS and sent.headers["authorization"] == f"Bearer {fake.key}"
    assert fake.last() == {  # every setting a body field; the prompt exactly as written, no --flags
        "model": "seedance-1-5-pro-251215",
        "content": [{"type": "text", "text": prompt}],
        "resolution": "720p",
        "ratio": "3:4",
        "duration": 6,
        "watermark": False,
        "seed": 7,
        "generate_audio": True,
    }
    status = lambda: api.get(f"/v1/videos/{job['id']}").json()["status"]  # noqa: E731
    wait_for(lambda: fake.tasks[task_id]["polls"] >= 2)  # the first poll's answer is stored by now
    assert status() == "queued"
    fake.queued_polls = 0
    wait_for(lambda: status() == "in_progress")
    fake.polls_to_complete = 1
    done = wait_done(api, job["id"])
    assert done["status"] == "completed" and done["progress"] == 100, done
    assert api.get(f"/v1/videos/{job['id']}/content").content == sample_media()["video"]
    assert "authorization" not in fake.downloads[-1]  # the presigned URL never sees the key
    thumbnail = api.get(f"/v1/videos/{job['id']}/content", params={"variant": "thumbnail"})
    assert (
        thumbnail.headers["content-type"] == "image/webp" and open_image(thumbnail.content).format == "WEBP"
    )
    sheet = api.get(f"/v1/videos/{job['id']}/content", params={"variant": "spritesheet"})
    assert sheet.headers["content-type"] == "image/jpeg" and open_image(sheet.content).format == "JPEG"
    assert fake.tasks[task_id]["status"] == "succeeded"
    assert [c for c in stack.calls("ark", "GET") if c.path == f"{TASKS}/{task_id}"]  # polled by its id


def test_image_to_video_sends_the_image_as_the_first_frame(api: httpx.Client, fake: ArkFake) -> None:
    image = png_url(720, 1280)
    r = api.post(
        "/v1/videos",
        json={
            "model": "ark/dreamina-seedance-2-0-fast-260128",
            "prompt": "the lantern flickers",
            "seconds": 4,
            "size": "720x1280",
            "audio": False,
            "input_reference": image,
        },
    )
    assert r.status_code == 200, r.text
    assert fake.last() == {
        "model": "dreamina-seedance-2-0-fast-260128",
        "content": [
            {"type": "text", "text": "the lantern flickers"},
            {"type": "image_url", "image_url": {"url": image}, "role": "first_frame"},
        ],
        "resolution": "720p",
        "ratio": "9:16",
        "duration": 4,
        "watermark": False,
        "generate_audio": False,
    }
    assert wait_done(api, r.json()["id"])["status"] == "completed"

    r = api.post("/v1/videos", json={"model": "ark/seedance-1-0-pro-250528", "prompt": "defaults"})
    assert r.status_code == 200, r.text
    assert (r.json()["seconds"], r.json()["size"]) == (5, "1920x1088")  # Seedance 1.0 pro's own defaults
    assert fake.last() == {  # a silent model gets no generate_audio at all
        "model": "seedance-1-0-pro-250528",
        "content": [{"type": "text", "text": "defaults"}],
        "resolution": "1080p",
        "ratio": "16:9",
        "duration": 5,
        "watermark": False,
    }


def test_failures_come_back_with_arks_codes_and_messages(stack: Stack, api: httpx.Client) -> None:
    failed = api.post(
        "/v1/videos", json={"model": "ark/dreamina-seedance-2-0-260128", "prompt": "FAIL"}
    ).json()
    done = wait_done(api, failed["id"])
    assert done["status"] == "failed"
    assert done["error"] == {
        "code": "OutputVideoSensitiveContentDetected",
        "message": "The request failed because the output video may contain sensitive information.",
    }
    expired = api.post(
        "/v1/videos", json={"model": "ark/dreamina-seedance-2-0-260128", "prompt": "EXPIRE"}
    ).json()
    done = wait_done(api, expired["id"])
    assert done["status"] == "failed" and done["error"]["code"] == "expired"

    before = posts(stack)
    r = api.post("/v1/videos", json={"model": "ark/dreamina-seedance-2-0-260128", "prompt": "UNSAFE words"})
    assert r.status_code == 400 and posts(stack) == before + 1  # refused by Ark, not retried
    error = r.json()["error"]
    assert error["message"].startswith("ark: InputTextSensitiveContentDetected: The request failed")
    assert r.json()["extra_fields"]["error_type"] == "provider_rejected"

    r = api.post(  # Ark refuses images with a side under 300 px
        "/v1/videos",
        json={"model": "ark/seedance-1-5-pro-251215", "prompt": "tiny", "input_reference": png_url(64, 64)},
    )
    assert r.status_code == 400, r.text
    assert (
        "InvalidParameter" in r.json()["error"]["message"] and "300 to 6000" in r.json()["error"]["message"]
    )


def test_rate_limits_are_retried_and_reported_when_they_persist(stack: Stack, api: httpx.Client) -> None:
    server = stack.servers["ark"]
    server.app.inject(Fault("status", 429, body=RATE_LIMITED, method="POST", path=f"{TASKS}$", times=2))
    before = posts(stack)
    r = api.post("/v1/videos", json={"model": "ark/dreamina-seedance-2-0-mini-260615", "prompt": "retry me"})
    assert r.status_code == 200, r.text
    assert posts(stack) == before + 3  # two 429s, then the create that took
    assert wait_done(api, r.json()["id"])["status"] == "completed"

    server.app.inject(Fault("status", 429, body=RATE_LIMITED, method="POST", path=f"{TASKS}$", times=50))
    try:
        r = api.post("/v1/videos", json={"model": "ark/dreamina-seedance-2-0-mini-260615", "prompt": "x"})
    finally:
        server.app.faults.clear()
    assert r.status_code == 429, r.text
    assert r.json()["error"]["message"].startswith("ark: RateLimitExceeded.EndpointRPMExceeded: The Requests")
    assert r.json()["extra_fields"]["error_type"] == "provider_rate_limited" and "retry-after" in r.headers


@pytest.mark.parametrize(
    ("body", "param", "allowed"),
    [
        ({"model": "ark/seedance-1-5-pro-251215", "seconds": 3}, "seconds", "allowed: 4 to 12"),
        ({"model": "ark/dreamina-seedance-2-0-260128", "seconds": 16}, "seconds", "allowed: 4 to 15"),
        ({"model": "ark/seedance-1-0-pro-250528", "size": "1280x720"}, "size", "allowed: 864x480, 480x864"),
        (
            {"model": "ark/dreamina-seedance-2-0-fast-260128", "size": "1920x1080"},
            "size",
            "834x1112, 960x960",
        ),
        ({"model": "ark/seedance-1-0-pro-fast-251015", "audio": True}, "audio", "generates no audio"),
        (
            {"model": "ark/seedance-1-5-pro-251215", "negative_prompt": "blur"},
            "negative_prompt",
            "does not take",
        ),
        (
            {"model": "ark/dreamina-seedance-2-0-260128", "video_uri": "https://x/v.mp4"},
            "video_uri",
            "does not",
        ),
        ({"model": "ark/seedance-2-5"}, "model", "ark/dreamina-seedance-2-0-260128"),
        ({"model": "ark/seedance-1-0-lite-t2v-250428"}, "model", "use ark/seedance-1-0-pro-fast-251015"),
    ],
)
def test_values_a_model_cannot_take_are_refused_before_anything_is_sent(
    stack: Stack, api: httpx.Client, body: dict, param: str, allowed: str
) -> None:
    before = posts(stack)
    r = api.post("/v1/videos", json={"prompt": "refuse me", **body})
    assert r.status_code == 400, r.text
    assert r.json()["error"]["param"] == param and allowed in r.json()["error"]["message"], r.json()
    assert posts(stack) == before


def test_delete_cancels_a_queued_task_and_forgets_a_running_one(
    stack: Stack, api: httpx.Client, fake: ArkFake
) -> None:
    fake.queued_polls, fake.polls_to_complete = 1000, 2000
    queued = api.post(
        "/v1/videos", json={"model": "ark/seedance-1-0-pro-fast-251015", "prompt": "wait"}
    ).json()
    task_id = max(fake.tasks)
    wait_for(lambda: fake.tasks[task_id]["polls"] > 0)
    assert api.delete(f"/v1/videos/{queued['id']}").json()["deleted"] is True
    assert task_id in fake.cancelled and fake.tasks[task_id]["status"] == "cancelled"
    assert api.get(f"/v1/videos/{queued['id']}").status_code == 404

    fake.queued_polls = 0  # a running task cannot be cancelled: Ark refuses, the gateway deletes its copy
    running = api.post(
        "/v1/videos", json={"model": "ark/seedance-1-0-pro-fast-251015", "prompt": "busy"}
    ).json()
    task_id = max(fake.tasks)
    wait_for(lambda: api.get(f"/v1/videos/{running['id']}").json()["status"] == "in_progress")
    deletes = len(stack.calls("ark", "DELETE"))
    r = api.delete(f"/v1/videos/{running['id']}")
    assert r.status_code == 200 and r.json()["deleted"] is True, r.text
    assert len(stack.calls("ark", "DELETE")) == deletes + 1 and fake.tasks[task_id]["status"] == "running"
    assert api.get(f"/v1/videos/{running['id']}").status_code == 404

    fake.polls_to_complete = 1
    done = api.post("/v1/videos", json={"model": "ark/seedance-1-0-pro-fast-251015", "prompt": "done"}).json()
    task_id = max(fake.tasks)
    assert wait_done(api, done["id"])["status"] == "completed"
    assert api.delete(f"/v1/videos/{done['id']}").json()["deleted"] is True
    assert task_id in fake.deleted and task_id not in fake.tasks  # a finished task's record goes too


def test_a_job_through_the_official_openai_sdk(stack: Stack, fake: ArkFake) -> None:
    sdk = openai.OpenAI(base_url=f"{stack.gateway.url}/openai/v1", api_key=GATEWAY_KEY, max_retries=0)
    video = sdk.videos.create_and_poll(
        model="ark/dreamina-seedance-2-0-mini-260615",
        prompt="a heron lands in the reeds",
        seconds="4",
        size="720x1280",
        poll_interval_ms=100,
    )
    assert video.status == "completed" and video.model == "ark/dreamina-seedance-2-0-mini-260615", video
    assert (video.seconds, video.size) == ("4", "720x1280")
    assert fake.last()["ratio"] == "9:16" and fake.last()["duration"] == 4
    assert sdk.videos.download_content(video.id).read() == sample_media()["video"]


def test_a_job_through_the_generated_client(stack: Stack, fake: ArkFake) -> None:
    client = AuthenticatedClient(base_url=stack.gateway.url, token=GATEWAY_KEY)
    body = VideoGenerationRequest.from_dict(
        {
            "model": "ark/seedance-1-0-pro-250528",
            "prompt": "a kite over dunes",
            "seconds": 3,
            "size": "1504x640",
        }
    )
    job = video_generation.sync(client=client, body=body)
    assert isinstance(job, VideoGenerationResponse), job
    assert job.extra_fields.provider == ModelProvider.ARK
    assert (fake.last()["resolution"], fake.last()["ratio"], fake.last()["duration"]) == ("720p", "21:9", 3)
    deadline = time.monotonic() + 20
    while (job := video_retrieve.sync(job.id, client=client)).status not in (
        VideoStatus.COMPLETED,
        VideoStatus.FAILED,
    ):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert job.status == VideoStatus.COMPLETED, job.error
    assert video_download.sync_detailed(job.id, client=client).content == sample_media()["video"]


def test_the_catalog_is_served_with_prices(api: httpx.Client) -> None:
    models = {m["id"]: m for m in api.get("/v1/models").json()["data"]}
    seedance = models["ark/dreamina-seedance-2-0-260128"]
    assert seedance["price"]["per_second"]["720p"] == pytest.approx(0.1512)  # 21,600 tokens/s at $7/1M
    assert "4k" in seedance["price"]["per_second"] and "3840x2160" in seedance["sizes"]
    lite = models["ark/seedance-1-0-lite-i2v-250428"]
    assert lite["lifecycle"] == "retired" and lite["successor"] == "ark/seedance-1-0-pro-fast-251015"
