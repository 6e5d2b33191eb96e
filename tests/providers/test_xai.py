"""xAI (Grok Imagine video) through a real gateway, against a fake of xAI's native REST API
(tests/fakes/xai.py, which follows xAI's published REST reference: the OpenAPI spec in
xai-org/xai-sdk-ts). xAI's own Python SDK speaks gRPC: tests/sdk_oracles/test_xai_oracle.py holds
the adapter's requests against it."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator

import httpx
import openai
import pytest
from vidgate_client import AuthenticatedClient
from vidgate_client.api.videos import video_generation, video_retrieve
from vidgate_client.models import VideoGenerationRequest, VideoGenerationResponse, VideoStatus

from tests.fakes.harness import Fault, png_bytes, sample_media
from tests.fakes.xai import KEY, XaiFake
from tests.providers.gateway import GATEWAY_KEY, Stack, provider_stack, wait_done
from tests.support.media import image
from vidgate.catalog import Catalog
from vidgate.config import ProviderSettings
from vidgate.domain import InvalidRequest
from vidgate.providers.base import GenerationRequest
from vidgate.providers.xai import XaiVideos

PNG_URL = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()
CREATE = "/v1/videos/generations"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    # an operator's own catalog entry for a model xAI may add, with no sizes of its own
    operator_model = {"xai": {"models": {"grok-imagine-video-next": {"seconds": {"min": 1, "max": 15}}}}}
    with provider_stack(tmp_path_factory, XaiFake.provider_fake(catalog=operator_model)) as stack:
        yield stack


@pytest.fixture
def api(stack: Stack) -> Iterator[httpx.Client]:
    with stack.api() as client:
        yield client


def fake(stack: Stack) -> XaiFake:
    return stack.fakes["xai"].state


def creates(stack: Stack) -> list:
    return [c for c in stack.calls("xai", "POST") if c.path == CREATE]


def polls_of(stack: Stack, request_id: str) -> list:
    return [c for c in stack.calls("xai", "GET") if c.path == f"/v1/videos/{request_id}"]


def last_request_id(stack: Stack) -> str:
    return max(fake(stack).jobs)


def test_text_to_video_progress_completion_and_download(stack: Stack, api: httpx.Client) -> None:
    r = api.post(
        "/v1/videos",
        json={
            "model": "xai/grok-imagine-video",
            "prompt": "a fox in the snow",
            "seconds": 6,
            "size": "1280x720",
        },
    )
    assert r.status_code == 200, r.text
    job = r.json()
    assert (job["model"], job["seconds"], job["size"]) == ("xai/grok-imagine-video", 6, "1280x720")
    sent = creates(stack)[-1]
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    assert sent.headers["content-type"] == "application/json"
    assert json.loads(sent.body) == {
        "model": "grok-imagine-video",
        "prompt": "a fox in the snow",
        "duration": 6,
        "aspect_ratio": "16:9",
        "resolution": "720p",
    }
    rid = last_request_id(stack)
    seen = set()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        current = api.get(f"/v1/videos/{job['id']}").json()
        seen.add((current["status"], current["progress"]))
        if current["status"] in ("completed", "failed"):
            break
        time.sleep(0.03)
    assert current["status"] == "completed", current
    assert ("in_progress", 66) in seen, seen  # the progress of the 202 that had a body
    # The first poll was a 202 without a body: counted as running, not retried as malformed JSON.
    answers = [(status, body) for path, status, body in fake(stack).served if path == f"/v1/videos/{rid}"]
    assert answers[0] == (202, None) and answers[-1][0] == 200
    assert len(polls_of(stack, rid)) == fake(stack).polls_to_complete == 3
    job_id = job["id"].partition(":")[0]
    events = stack.gateway.events()
    failed_polls = [e for e in events if e.get("job_id") == job_id and e["event"] == "poll_failed"]
    assert not failed_polls, failed_polls

    assert api.get(f"/v1/videos/{job['id']}/content").content == sample_media()["video"]
    assert "authorization" not in fake(stack).cdn_requests[-1]  # the video URL gets no xAI key
    assert image(api.get(f"/v1/videos/{job['id']}/content", params={"variant": "thumbnail"}).content)
    assert image(api.get(f"/v1/videos/{job['id']}/content", params={"variant": "spritesheet"}).content)


def test_bodyless_202s_are_a_running_job_not_malformed_answers(stack: Stack, api: httpx.Client) -> None:
    """More empty 202s in a row than the upstream client's retry budget: each is one poll."""
    xai = fake(stack)
    xai.polls_to_complete, xai.bodyless_polls = 8, 7
    events = stack.gateway.events
    retries_before = sum(e["event"] == "upstream_retry" for e in events())
    try:
        job = api.post("/v1/videos", json={"model": "xai/grok-imagine-video", "prompt": "quiet"}).json()
        assert wait_done(api, job["id"])["status"] == "completed"
    finally:
        xai.polls_to_complete, xai.bodyless_polls = 3, 1
    rid = last_request_id(stack)
    assert [status for path, status, body in xai.served if path == f"/v1/videos/{rid}"] == [202] * 7 + [200]
    job_id = job["id"].partition(":")[0]
    assert not [e for e in events() if e.get("job_id") == job_id and e["event"] == "poll_failed"]
    assert sum(e["event"] == "upstream_retry" for e in events()) == retries_before  # never asked again


def test_defaults_are_the_catalogs_and_are_sent_explicitly(stack: Stack, api: httpx.Client) -> None:
    job = api.post("/v1/videos", json={"model": "xai/grok-imagine-video-1.5-lite", "prompt": "waves"}).json()
    assert (job["seconds"], job["size"]) == (8, "848x480")
    assert fake(stack).jobs[last_request_id(stack)]["body"] == {
        "model": "grok-imagine-video-1.5-lite",
        "prompt": "waves",
        "duration": 8,
        "aspect_ratio": "16:9",
        "resolution": "480p",
    }
    assert wait_done(api, job["id"])["status"] == "completed"


def test_image_to_video_at_1080p_without_audio(stack: Stack, api: httpx.Client) -> None:
    r = api.post(
        "/v1/videos",
        json={
            "model": "xai/grok-imagine-video-1.5",
            "prompt": "the fox turns its head",
            "seconds": 10,
            "size": "1080x1920",
            "audio": False,
            "input_reference": PNG_URL,
        },
    )
    assert r.status_code == 200, r.text
    assert json.loads(creates(stack)[-1].body) == {
        "model": "grok-imagine-video-1.5",
        "prompt": "the fox turns its head",
        "duration": 10,
        "aspect_ratio": "9:16",
        "resolution": "1080p",
        "image": {"url": PNG_URL},  # the caller's image as a data URL
        "generate_audio": False,
    }
    assert wait_done(api, r.json()["id"])["status"] == "completed"


@pytest.mark.parametrize(
    ("prompt", "error"),
    [
        ("FAIL this one", {"code": "invalid_argument", "message": "The prompt was rejected by moderation."}),
        (
            "MODERATE this",
            {"code": "content_filtered", "message": "xAI's moderation withheld the generated video"},
        ),
        ("EXPIRE this", {"code": "expired", "message": "xAI let the request expire before it finished"}),
    ],
)
def test_failed_jobs_carry_xais_code_and_message(api: httpx.Client, prompt: str, error: dict) -> None:
    job = api.post("/v1/videos", json={"model": "xai/grok-imagine-video", "prompt": prompt}).json()
    done = wait_done(api, job["id"])
    assert done["status"] == "failed" and done["error"] == error, done


def test_a_refused_create_is_the_callers_error_with_xais_message(stack: Stack, api: httpx.Client) -> None:
    before = len(fake(stack).jobs)
    r = api.post("/v1/videos", json={"model": "xai/grok-imagine-video", "prompt": "REJECT me"})
    assert r.status_code == 400, r.text
    body = r.json()
    assert "The prompt violates the usage policy." in body["error"]["message"]
    assert body["is_bifrost_error"] is False  # a BifrostError carrying xAI's refusal
    assert (
        body["extra_fields"]["error_type"] == "provider_rejected"
        and body["extra_fields"]["provider"] == "xai"
    )
    assert len(fake(stack).jobs) == before


def test_a_wrong_key_is_the_operators_problem_not_the_callers(stack: Stack, api: httpx.Client) -> None:
    xai = fake(stack)
    xai.key = "xai-another-key"
    try:
        r = api.post("/v1/videos", json={"model": "xai/grok-imagine-video", "prompt": "a key test"})
    finally:
        xai.key = KEY
    assert r.status_code == 502, r.text  # xAI says 400 "Incorrect API key provided"
    assert r.json()["extra_fields"]["error_type"] == "provider_auth"
    assert "Incorrect API key provided" in r.json()["error"]["message"]
    assert KEY not in r.text


def test_rate_limits_are_retried_on_create_and_poll(stack: Stack, api: httpx.Client) -> None:
    app = stack.servers["xai"].app
    posts = len(creates(stack))
    app.inject(
        Fault(
            "status", 429, headers={"retry-after": "0"}, body="Too many requests", method="POST", path=CREATE
        )
    )
    app.inject(Fault("status", 429, headers={"retry-after": "0"}, method="GET", path=r"^/v1/videos/0"))
    r = api.post("/v1/videos", json={"model": "xai/grok-imagine-video", "prompt": "retried"})
    assert r.status_code == 200, r.text
    assert len(creates(stack)) == posts + 2  # the 429, then the one that went through
    assert wait_done(api, r.json()["id"])["status"] == "completed"
    assert len(polls_of(stack, last_request_id(stack))) == 4  # three answers and the 429


def test_a_lasting_rate_limit_reaches_the_caller_as_429(stack: Stack, api: httpx.Client) -> None:
    body = {"code": "Too many requests", "error": "Your team has exceeded its requests per minute."}
    stack.servers["xai"].app.inject(
        Fault("status", 429, headers={"retry-after": "0"}, body=body, method="POST", path=CREATE, times=10)
    )
    try:
        r = api.post("/v1/videos", json={"model": "xai/grok-imagine-video", "prompt": "limited"})
    finally:
        stack.servers["xai"].app.faults.clear()
    assert r.status_code == 429, r.text
    assert r.json()["extra_fields"]["error_type"] == "provider_rate_limited" and r.headers["retry-after"]
    assert "exceeded its requests per minute" in r.json()["error"]["message"]


@pytest.mark.parametrize(
    ("fields", "param", "says"),
    [
        ({"seconds": 16}, "seconds", "allowed: 1 to 15"),
        ({"size": "1920x1080"}, "size", "allowed: 848x480, 480x848"),  # no 1080p on grok-imagine-video
        ({"size": "1280x768"}, "size", "allowed: 848x480"),
        ({"negative_prompt": "rain"}, "negative_prompt", "xai does not take negative_prompt"),
        ({"seed": 7}, "seed", "xai does not take seed"),
        ({"video_uri": "https://example.com/a.mp4"}, "video_uri", "xai does not take video_uri"),
        ({"model": "xai/grok-imagine-video-2"}, "model", "xai/grok-imagine-video-1.5-lite"),
    ],
)
def test_values_xai_cannot_take_are_refused_before_sending(
    stack: Stack, api: httpx.Client, fields: dict, param: str, says: str
) -> None:
    posts = len(creates(stack))
    r = api.post("/v1/videos", json={"model": "xai/grok-imagine-video", "prompt": "x", **fields})
    assert r.status_code == 400, r.text
    assert r.json()["error"]["param"] == param and says in r.json()["error"]["message"], r.json()
    assert len(creates(stack)) == posts  # nothing reached xAI


def test_a_size_xai_has_no_words_for_is_refused_even_where_the_catalog_lists_none(
    stack: Stack, api: httpx.Client
) -> None:
    posts = len(creates(stack))
    fields = {"model": "xai/grok-imagine-video-next", "prompt": "x", "size": "1280x768"}
    r = api.post("/v1/videos", json=fields)
    assert r.status_code == 400 and r.json()["error"]["param"] == "size", r.text
    assert (
        "aspect ratio 1:1, 16:9, 9:16, 4:3, 3:4, 3:2, 2:3 at 480p, 720p, 1080p"
        in r.json()["error"]["message"]
    )
    assert len(creates(stack)) == posts
    r = api.post("/v1/videos", json={**fields, "size": "1280x720"})
    assert r.status_code == 404 and "grok-imagine-video-next does not exist" in r.text  # xAI's answer


def test_prepare_refuses_such_a_size_before_any_job_exists() -> None:
    """The same refusal, from `prepare` itself: the service stores a job only after it."""
    provider = XaiVideos(ProviderSettings(api_key="k", base_url="http://127.0.0.1:9"))
    provider.catalog = Catalog.load({"xai": {"models": {"grok-imagine-video-next": {}}}}).entry("xai")
    with pytest.raises(InvalidRequest) as err:
        provider.prepare(GenerationRequest(model="grok-imagine-video-next", prompt="x", size="1280x768"))
    assert err.value.param == "size"
    prepared = provider.prepare(
        GenerationRequest(model="grok-imagine-video-next", prompt="x", size="720x1280")
    )
    assert (prepared.seconds, prepared.size) == (4, "720x1280")  # no catalog defaults: the gateway's
    # a catalog opened to any model name: the API's own limits and defaults apply
    provider.catalog = Catalog.load({"xai": {"open_models": True}}).entry("xai")
    prepared = provider.prepare(GenerationRequest(model="grok-imagine-video-3", prompt="x"))
    assert (prepared.seconds, prepared.size) == (8, "848x480")
    with pytest.raises(InvalidRequest, match="allowed: 1 to 15"):
        provider.prepare(GenerationRequest(model="grok-imagine-video-3", prompt="x", seconds=20))


def test_delete_removes_our_job_and_sends_nothing_upstream(stack: Stack, api: httpx.Client) -> None:
    xai = fake(stack)
    xai.polls_to_complete = 1000
    try:
        job = api.post("/v1/videos", json={"model": "xai/grok-imagine-video", "prompt": "a long one"}).json()
        calls = len(stack.calls("xai"))
        assert api.delete(f"/v1/videos/{job['id']}").json()["deleted"] is True
    finally:
        xai.polls_to_complete = 3
    assert not [c for c in stack.calls("xai")[calls:] if c.method not in ("GET",)]  # xAI has no cancel
    assert api.get(f"/v1/videos/{job['id']}").status_code == 404


def test_through_the_official_openai_sdk(stack: Stack) -> None:
    sdk = openai.OpenAI(base_url=f"{stack.gateway.url}/openai/v1", api_key=GATEWAY_KEY, max_retries=0)
    video = sdk.videos.create_and_poll(
        model="xai/grok-imagine-video",
        prompt="through openai",
        seconds="8",
        size="720x1280",
        poll_interval_ms=50,
    )
    assert video.status == "completed" and video.model == "xai/grok-imagine-video", video
    assert sdk.videos.download_content(video.id).read() == sample_media()["video"]
    sent = fake(stack).jobs[last_request_id(stack)]["body"]
    assert (sent["duration"], sent["aspect_ratio"], sent["resolution"]) == (8, "9:16", "720p")


def test_through_the_generated_client(stack: Stack) -> None:
    with AuthenticatedClient(base_url=stack.gateway.url, token=GATEWAY_KEY, timeout=30) as client:
        created = video_generation.sync(
            client=client,
            body=VideoGenerationRequest.from_dict(
                {
                    "model": "xai/grok-imagine-video-1.5",
                    "prompt": "generated client",
                    "seconds": 3,
                    "size": "960x720",
                }
            ),
        )
        assert isinstance(created, VideoGenerationResponse), created
        deadline = time.monotonic() + 20
        job = created
        while job.status not in (VideoStatus.COMPLETED, VideoStatus.FAILED) and time.monotonic() < deadline:
            time.sleep(0.05)
            job = video_retrieve.sync(created.id, client=client)
            assert isinstance(job, VideoGenerationResponse), job
    assert job.status == VideoStatus.COMPLETED, job
    sent = fake(stack).jobs[last_request_id(stack)]["body"]
    assert (sent["duration"], sent["aspect_ratio"], sent["resolution"]) == (3, "4:3", "720p")


def test_edit_and_extend_an_xai_video_go_to_xais_own_edits_and_extensions(
    stack: Stack, api: httpx.Client
) -> None:
    first = api.post("/v1/videos", json={"model": "xai/grok-imagine-video", "prompt": "a fox", "seconds": 4})
    assert first.status_code == 200, first.text
    video_id = first.json()["id"]
    assert wait_done(api, video_id)["status"] == "completed"
    kept = api.get(f"/v1/videos/{video_id}/content").content
    source = {"url": "data:video/mp4;base64," + base64.b64encode(kept).decode()}

    extended = api.post(
        "/v1/videos/extensions", json={"prompt": "it runs", "seconds": 6, "video": {"id": video_id}}
    )
    assert extended.status_code == 200, extended.text
    assert extended.json()["seconds"] == 10 and extended.json()["model"] == "xai/grok-imagine-video"
    sent = [c for c in stack.calls("xai", "POST") if c.path == "/v1/videos/extensions"][-1]
    assert json.loads(sent.body) == {
        "model": "grok-imagine-video",
        "prompt": "it runs",
        "video": source,
        "duration": 6,
    }
    assert wait_done(api, extended.json()["id"])["status"] == "completed"

    edited = api.post(
        "/v1/videos/edits",
        json={"prompt": "in the rain", "model": "xai/grok-imagine-video-1.5", "video": {"id": video_id}},
    )
    assert edited.status_code == 200, edited.text
    sent = [c for c in stack.calls("xai", "POST") if c.path == "/v1/videos/edits"][-1]
    assert json.loads(sent.body) == {
        "model": "grok-imagine-video-1.5",
        "prompt": "in the rain",
        "video": source,
    }
    assert wait_done(api, edited.json()["id"])["seconds"] == 4

    too_long = api.post(
        "/v1/videos/extensions", json={"prompt": "x", "seconds": 11, "video": {"id": video_id}}
    )
    assert too_long.status_code == 400 and too_long.json()["error"]["code"] == "invalid_seconds"
    no_extend = api.post(
        "/v1/videos/extensions",
        json={"prompt": "x", "seconds": 4, "model": "xai/grok-imagine-video-1.5", "video": {"id": video_id}},
    )
    assert no_extend.status_code == 400 and no_extend.json()["error"]["code"] == "unsupported_operation"
