"""MiniMax through the gateway: Hailuo on its original API, H3 on its V2 API, against a fake of both.

There is no SDK oracle for MiniMax: it publishes no official Python SDK (the PyPI package that calls
itself official wraps a third party's API), so the fake (tests/fakes/minimax.py) follows MiniMax's
published API reference, https://platform.minimax.io/docs/api-reference/ , named in its docstring.
"""

from __future__ import annotations

import base64
import io
import json
import time
from collections.abc import Iterator

import httpx
import openai
import pytest
from PIL import Image
from vidgate_client import AuthenticatedClient
from vidgate_client.api.videos import video_download, video_generation, video_retrieve
from vidgate_client.models import VideoGenerationRequest, VideoGenerationResponse, VideoStatus

from tests.fakes.harness import Fault, sample_media
from tests.fakes.minimax import MiniMaxFake, base_resp
from tests.providers.gateway import GATEWAY_KEY, Stack, provider_stack, wait_done
from tests.support.media import image
from vidgate.catalog import Catalog
from vidgate.providers.minimax import V2_PREFIX, OriginalApi, V2Api, base_resp_error, ratio_of

KEY = "mm-fake-minimax-key-0123456789"


def png_url(width: int, height: int) -> str:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 200)).save(buf, "PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with provider_stack(tmp_path_factory, MiniMaxFake.provider_fake(KEY)) as stack:
        yield stack


@pytest.fixture(scope="module")
def api(stack: Stack) -> Iterator[httpx.Client]:
    with stack.api() as client:
        yield client


@pytest.fixture
def fake(stack: Stack) -> Iterator[MiniMaxFake]:
    state: MiniMaxFake = stack.fakes["minimax"].state
    yield state
    state.polls_to_complete, state.hold_queued = 4, False


def creates(stack: Stack) -> int:
    return sum(1 for c in stack.calls("minimax", "POST") if c.path.endswith("/video_generation"))


def last_create(stack: Stack) -> dict:
    return json.loads([c for c in stack.calls("minimax", "POST")][-1].body)


def statuses_until_done(api: httpx.Client, video_id: str, timeout: float = 20) -> tuple[list[str], dict]:
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = api.get(f"/v1/videos/{video_id}").json()
        if not seen or seen[-1] != job["status"]:
            seen.append(job["status"])
        if job["status"] in ("completed", "failed"):
            return seen, job
        time.sleep(0.03)
    raise AssertionError(f"{video_id} not done: {seen}")


# --- the original API (Hailuo) ----------------------------------------------------------------


def test_hailuo_text_to_video_progresses_completes_and_downloads(
    api: httpx.Client, stack: Stack, fake: MiniMaxFake
) -> None:
    fake.polls_to_complete = 6
    r = api.post(
        "/v1/videos",
        json={
            "model": "minimax/MiniMax-Hailuo-2.3",
            "prompt": "a lighthouse",
            "seconds": 10,
            "size": "1366x768",
        },
    )
    assert r.status_code == 200, r.text
    sent = [c for c in stack.calls("minimax", "POST")][-1]
    assert sent.path == "/v1/video_generation"
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    assert sent.headers["content-type"] == "application/json"
    assert json.loads(sent.body) == {
        "model": "MiniMax-Hailuo-2.3",
        "prompt": "a lighthouse",
        "duration": 10,
        "resolution": "768P",
    }
    seen, done = statuses_until_done(api, r.json()["id"])
    assert seen[0] == "queued" and "in_progress" in seen and seen[-1] == "completed", seen
    assert (done["seconds"], done["size"], done["model"]) == (10, "1366x768", "minimax/MiniMax-Hailuo-2.3")
    video_id = done["id"]
    assert api.get(f"/v1/videos/{video_id}/content").content == sample_media()["video"]
    assert (
        image(api.get(f"/v1/videos/{video_id}/content", params={"variant": "thumbnail"}).content).format
        == "WEBP"
    )
    sheet = api.get(f"/v1/videos/{video_id}/content", params={"variant": "spritesheet"})
    assert image(sheet.content).format == "JPEG"

    # The download URL lasts an hour: fetched right after files/retrieve, never with the key.
    paths = [c.path for c in stack.calls("minimax", "GET")]
    fetched = max(i for i, p in enumerate(paths) if p.startswith("/cdn/"))
    assert paths[fetched - 1] == "/v1/files/retrieve"
    assert "authorization" not in fake.cdn_requests[-1]["headers"]

    # No cancel on this API: delete is the gateway's own, nothing is sent.
    before = len(stack.calls("minimax"))
    assert api.delete(f"/v1/videos/{video_id}").json()["deleted"] is True
    assert len(stack.calls("minimax")) == before


def test_hailuo_image_to_video_takes_the_image_ratio(api: httpx.Client, stack: Stack) -> None:
    portrait = png_url(720, 1280)
    r = api.post(
        "/v1/videos",
        json={
            "model": "minimax/MiniMax-Hailuo-2.3-Fast",
            "prompt": "she turns",
            "size": "768x1366",
            "input_reference": portrait,
        },
    )
    assert r.status_code == 200, r.text
    assert last_create(stack) == {
        "model": "MiniMax-Hailuo-2.3-Fast",
        "prompt": "she turns",
        "duration": 6,
        "resolution": "768P",
        "first_frame_image": portrait,
    }
    assert wait_done(api, r.json()["id"])["status"] == "completed"

    # A portrait image cannot make the landscape video asked for: refused before sending.
    before = creates(stack)
    r = api.post(
        "/v1/videos",
        json={
            "model": "minimax/MiniMax-Hailuo-2.3",
            "prompt": "x",
            "size": "1366x768",
            "input_reference": portrait,
        },
    )
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert error["code"] == "invalid_size" and "image's aspect ratio" in error["message"]
    assert "768x1366 (9:16)" in error["message"] and "720x1280" in error["message"]
    assert creates(stack) == before


@pytest.mark.parametrize(
    ("body", "param", "says"),
    [
        ({"model": "minimax/MiniMax-Hailuo-2.3-Fast"}, "input_reference", "from an image only"),
        ({"model": "minimax/MiniMax-Hailuo-2.3", "seconds": 8}, "seconds", "allowed: 6, 10"),
        (
            {"model": "minimax/MiniMax-Hailuo-2.3", "seconds": 10, "size": "1920x1080"},
            "seconds",
            "allowed: 6",
        ),
        ({"model": "minimax/MiniMax-Hailuo-2.3", "size": "1280x720"}, "size", "allowed: 1366x768, 768x1366"),
        ({"model": "minimax/MiniMax-Hailuo-2.3", "size": "768x1366"}, "size", "allowed: 1366x768, 1920x1080"),
        ({"model": "minimax/MiniMax-Hailuo-02", "size": "910x512"}, "size", "512P is image to video only"),
        ({"model": "minimax/MiniMax-Hailuo-2.3", "audio": True}, "audio", "generates no audio"),
        (
            {"model": "minimax/MiniMax-Hailuo-2.3", "negative_prompt": "fog"},
            "negative_prompt",
            "does not take",
        ),
        ({"model": "minimax/MiniMax-Hailuo-2.3", "seed": 3}, "seed", "does not take"),
        ({"model": "minimax/MiniMax-Hailuo-2.3", "prompt": "x" * 2001}, "prompt", "at most 2000"),
        ({"model": "minimax/MiniMax-H3", "seconds": 3}, "seconds", "allowed: 4 to 15"),
        ({"model": "minimax/MiniMax-H3", "audio": False}, "audio", "always generates audio"),
        ({"model": "minimax/MiniMax-H3-Max", "size": "2560x1440"}, "size", "allowed: 832x480"),
        ({"model": "minimax/MiniMax-H3", "prompt": "x" * 7001}, "prompt", "at most 7000"),
        ({"model": "minimax/MiniMax-Hailuo-3"}, "model", "minimax/MiniMax-H3, minimax/MiniMax-H3-Max"),
    ],
)
def test_values_a_model_cannot_take_are_refused_before_sending(
    api: httpx.Client, stack: Stack, body: dict, param: str, says: str
) -> None:
    before = creates(stack)
    r = api.post("/v1/videos", json={"prompt": "a kite", **body})
    assert r.status_code == 400, r.text
    assert r.json()["error"]["param"] == param and says in r.json()["error"]["message"], r.json()
    assert creates(stack) == before


def test_base_resp_failures_become_errors_with_minimax_messages(api: httpx.Client, stack: Stack) -> None:
    hailuo = {"model": "minimax/MiniMax-Hailuo-2.3"}
    r = api.post("/v1/videos", json={**hailuo, "prompt": "INPUT-SENSITIVE scene"})
    assert r.status_code == 400 and r.json()["error"]["message"] == "minimax: input new_sensitive (1026)"
    assert r.json()["error"]["code"] == "input_sensitive"

    r = api.post("/v1/videos", json={**hailuo, "prompt": "NO-BALANCE scene"})
    assert r.status_code == 502, r.text
    error = r.json()["error"]
    assert error["code"] == "insufficient_balance" and "insufficient balance (1008)" in error["message"]
    assert "top it up" in error["message"]

    app = stack.servers["minimax"].app
    login_fail = base_resp(1004, "login fail: token mismatch", task_id="")
    app.inject(Fault("status", 200, body=login_fail, method="POST", path="^/v1/video_generation$"))
    r = api.post("/v1/videos", json={**hailuo, "prompt": "a kite"})
    assert r.status_code == 502 and r.json()["extra_fields"]["error_type"] == "provider_auth", r.text
    assert "login fail: token mismatch (1004)" in r.json()["error"]["message"]
    # The original API's HTTP status codes are undocumented: a real 401 still gets MiniMax's words.
    app.inject(Fault("status", 401, body=login_fail, method="POST", path="^/v1/video_generation$"))
    r = api.post("/v1/videos", json={**hailuo, "prompt": "a kite"})
    assert r.status_code == 502 and "login fail: token mismatch (1004)" in r.json()["error"]["message"]

    invalid = base_resp(2013, "invalid params, prompt_optimizer", task_id="")
    app.inject(Fault("status", 200, body=invalid, method="POST", path="^/v1/video_generation$"))
    r = api.post("/v1/videos", json={**hailuo, "prompt": "a kite"})
    assert (
        r.status_code == 400
        and r.json()["error"]["message"] == "minimax: invalid params, prompt_optimizer (2013)"
    )


def test_hailuo_task_that_fails_is_a_failed_job_with_minimax_reason(api: httpx.Client) -> None:
    r = api.post("/v1/videos", json={"model": "minimax/MiniMax-Hailuo-02", "prompt": "OUTPUT-SENSITIVE"})
    done = wait_done(api, r.json()["id"])
    assert done["status"] == "failed"
    assert done["error"] == {"code": "1027", "message": "output video sensitive"}


def test_rate_limits_are_retried_on_both_apis(api: httpx.Client, stack: Stack) -> None:
    app = stack.servers["minimax"].app
    limited = base_resp(1002, "rate limit exceeded(RPM)", task_id="")
    app.inject(Fault("status", 200, body=limited, method="POST", path="^/v1/video_generation$"))
    before = creates(stack)
    r = api.post("/v1/videos", json={"model": "minimax/MiniMax-Hailuo-2.3", "prompt": "retried"})
    assert r.status_code == 200, r.text
    assert creates(stack) == before + 2  # the refused create, then the one that was taken

    app.inject(Fault("status", 200, body=base_resp(1002, "rate limit"), method="GET", path="^/v1/query/"))
    assert wait_done(api, r.json()["id"])["status"] == "completed"

    v2_limited = {
        "type": "error",
        "error": {
            "type": "rate_limit_error",
            "message": "rate limit, please retry later (1002)",
            "http_code": "429",
        },
    }
    app.inject(
        Fault(
            "status",
            429,
            headers={"retry-after": "0"},
            body=v2_limited,
            method="POST",
            path="^/v2/video_generation$",
        )
    )
    before = creates(stack)
    r = api.post("/v1/videos", json={"model": "minimax/MiniMax-H3", "prompt": "retried too"})
    assert r.status_code == 200, r.text
    assert creates(stack) == before + 2

    overloaded = {
        "type": "error",
        "error": {"type": "overloaded_error", "message": "overloaded", "http_code": "529"},
    }
    app.inject(Fault("status", 529, body=overloaded, method="GET", path="^/v2/query/"))
    assert wait_done(api, r.json()["id"])["status"] == "completed"


# --- the V2 API (H3) ----------------------------------------------------------------------------


def test_h3_text_to_video_sends_content_ratio_and_tier(
    api: httpx.Client, stack: Stack, fake: MiniMaxFake
) -> None:
    fake.polls_to_complete = 6
    r = api.post(
        "/v1/videos",
        json={"model": "minimax/MiniMax-H3", "prompt": "a city at night", "seconds": 12, "size": "1440x2560"},
    )
    assert r.status_code == 200, r.text
    sent = [c for c in stack.calls("minimax", "POST")][-1]
    assert sent.path == "/v2/video_generation" and sent.headers["authorization"] == f"Bearer {KEY}"
    assert json.loads(sent.body) == {
        "model": "MiniMax-H3",
        "content": [{"type": "text", "text": "a city at night"}],
        "resolution": "2K",
        "duration": 12,
        "ratio": "9:16",
    }
    seen, done = statuses_until_done(api, r.json()["id"])
    assert seen[0] == "queued" and "in_progress" in seen and seen[-1] == "completed", seen
    assert api.get(f"/v1/videos/{done['id']}/content").content == sample_media()["video"]
    assert "authorization" not in fake.cdn_requests[-1]["headers"]

    r = api.post("/v1/videos", json={"model": "minimax/MiniMax-H3", "prompt": "defaults"})
    assert (r.json()["seconds"], r.json()["size"]) == (5, "1344x768")
    assert last_create(stack) | {"content": None} == {
        "model": "MiniMax-H3",
        "content": None,
        "resolution": "768P",
        "duration": 5,
        "ratio": "16:9",
    }


def test_h3_max_image_to_video_is_a_first_frame_with_adaptive_ratio(api: httpx.Client, stack: Stack) -> None:
    frame = png_url(1280, 720)
    r = api.post(
        "/v1/videos",
        json={
            "model": "minimax/MiniMax-H3-Max",
            "prompt": "waves",
            "size": "832x480",
            "input_reference": frame,
        },
    )
    assert r.status_code == 200, r.text
    assert last_create(stack) == {
        "model": "MiniMax-H3-Max",
        "content": [
            {"type": "text", "text": "waves"},
            {"type": "image_url", "image_url": {"url": frame}, "role": "first_frame"},
        ],
        "resolution": "480P",
        "duration": 5,
        "ratio": "adaptive",
    }
    assert wait_done(api, r.json()["id"])["status"] == "completed"


def test_h3_failures_keep_minimax_messages(api: httpx.Client) -> None:
    r = api.post("/v1/videos", json={"model": "minimax/MiniMax-H3", "prompt": "INPUT-SENSITIVE"})
    assert r.status_code == 400 and r.json()["error"]["message"] == "minimax: input new_sensitive (1026)"
    r = api.post("/v1/videos", json={"model": "minimax/MiniMax-H3", "prompt": "NO-BALANCE"})
    assert r.status_code == 502 and "insufficient balance (1008)" in r.json()["error"]["message"]
    r = api.post("/v1/videos", json={"model": "minimax/MiniMax-H3", "prompt": "OUTPUT-SENSITIVE"})
    done = wait_done(api, r.json()["id"])
    assert done["status"] == "failed" and done["error"] == {
        "code": "1027",
        "message": "output video sensitive",
    }


def test_h3_delete_cancels_queued_and_deletes_finished_tasks(api: httpx.Client, fake: MiniMaxFake) -> None:
    fake.hold_queued = True
    queued = api.post("/v1/videos", json={"model": "minimax/MiniMax-H3", "prompt": "never mind"}).json()
    task_id = max(fake.tasks)
    assert api.delete(f"/v1/videos/{queued['id']}").json()["deleted"] is True
    assert fake.deleted[-1] == (task_id, "cancel") and fake.tasks[task_id]["status"] == "cancelled"

    fake.hold_queued = False
    finished = api.post("/v1/videos", json={"model": "minimax/MiniMax-H3", "prompt": "keep"}).json()
    task_id = max(fake.tasks)
    assert wait_done(api, finished["id"])["status"] == "completed"
    assert api.delete(f"/v1/videos/{finished['id']}").json()["deleted"] is True
    assert fake.deleted[-1] == (task_id, "delete") and task_id not in fake.tasks

    # MiniMax refuses to delete a running task: the gateway's copy goes all the same.
    fake.polls_to_complete = 1000
    running = api.post("/v1/videos", json={"model": "minimax/MiniMax-H3", "prompt": "long"}).json()
    task_id = max(fake.tasks)
    deadline = time.monotonic() + 10
    while fake.tasks[task_id]["status"] != "running" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert api.delete(f"/v1/videos/{running['id']}").json()["deleted"] is True
    assert fake.deleted[-1] == (task_id, "refused")
    assert api.get(f"/v1/videos/{running['id']}").status_code == 404


# --- the same jobs through clients ---------------------------------------------------------------


def test_a_hailuo_job_through_the_official_openai_sdk(stack: Stack) -> None:
    sdk = openai.OpenAI(base_url=f"{stack.gateway.url}/openai/v1", api_key=GATEWAY_KEY, max_retries=0)
    video = sdk.videos.create_and_poll(
        model="minimax/MiniMax-Hailuo-2.3",  # type: ignore[arg-type]
        prompt="a fox in the snow",
        seconds="6",  # type: ignore[arg-type]
        size="1920x1080",  # type: ignore[arg-type]
        poll_interval_ms=100,
    )
    assert video.status == "completed" and video.model == "minimax/MiniMax-Hailuo-2.3"
    assert (video.seconds, video.size) == ("6", "1920x1080")
    assert sdk.videos.download_content(video.id).read() == sample_media()["video"]


def test_an_h3_job_through_the_generated_client(stack: Stack) -> None:
    client = AuthenticatedClient(base_url=stack.gateway.url, token=GATEWAY_KEY)
    body = VideoGenerationRequest.from_dict(
        {"model": "minimax/MiniMax-H3", "prompt": "a paper boat", "seconds": "6", "size": "1024x768"}
    )
    created = video_generation.sync(client=client, body=body)
    assert isinstance(created, VideoGenerationResponse), created
    deadline = time.monotonic() + 20
    job = created
    while job.status not in (VideoStatus.COMPLETED, VideoStatus.FAILED) and time.monotonic() < deadline:
        time.sleep(0.1)
        job = video_retrieve.sync(created.id, client=client)
        assert isinstance(job, VideoGenerationResponse), job
    assert job.status == VideoStatus.COMPLETED and (job.seconds, job.size) == (6, "1024x768")
    assert video_download.sync_detailed(created.id, client=client).content == sample_media()["video"]


# --- the adapter's tables, without a gateway -----------------------------------------------------


def test_every_catalog_size_names_a_tier_and_ratio_of_its_api_and_has_a_price() -> None:
    models = Catalog.load().entry("minimax").models
    assert set(models) == {
        "MiniMax-Hailuo-2.3",
        "MiniMax-Hailuo-2.3-Fast",
        "MiniMax-Hailuo-02",
        "MiniMax-H3",
        "MiniMax-H3-Max",
    }
    for name, spec in models.items():
        tiers = (V2Api if name.startswith(V2_PREFIX) else OriginalApi).tiers
        assert (
            spec.sizes and spec.default_size in spec.sizes and spec.takes_seconds(spec.default_seconds or 0)
        )
        assert spec.price is not None and "verify" in spec.price.source
        for size in spec.sizes:
            width, height = (int(v) for v in size.split("x"))
            assert min(width, height) in tiers and ratio_of(width, height) is not None, (name, size)
            if name.startswith(V2_PREFIX):
                assert width % 32 == 0 and height % 32 == 0, (name, size)  # H3's pixel grid
            assert spec.price.per_second_for(size) is not None, (name, size)


def test_base_resp_codes_map_to_statuses() -> None:
    def mapped(code: int, **fields: object) -> tuple[int | None, bool, str | None] | None:
        error = base_resp_error("minimax", base_resp(code, "msg", **fields))
        return None if error is None else (error.status, error.retryable, error.code)

    assert mapped(0) is None
    assert mapped(1002) == (429, True, "rate_limited")
    assert mapped(1004) == (401, False, "authentication_failed")
    assert mapped(2049) == (401, False, "invalid_api_key")
    assert mapped(1008) == (402, False, "insufficient_balance")
    assert mapped(1026) == (400, False, "input_sensitive")
    assert mapped(2013) == (400, False, "invalid_params")
    assert mapped(1000) == (500, True, "provider_error")
    assert mapped(1027, status="Fail") is None  # a failed task is the job's outcome, not a failed call
    assert mapped(424242) == (502, False, "provider_error")
