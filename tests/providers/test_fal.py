"""fal's queue through a real gateway process, against a fake of its queue API
(tests/fakes/hosted_platforms.py, which follows fal's queue reference and the official `fal-client`;
the SDK itself is the oracle in tests/sdk_oracles/test_fal_oracle.py).

fal is open-ended (`open_models: true`): any `owner/app[/path]` passes through with only the inputs
the caller set, so the values refused here are the ones no fal app takes through this gateway.
The queue hands back the URLs to poll; the fal key goes only to the configured queue's origin.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator

import httpx
import pytest
from pydantic import SecretStr

from tests.fakes.harness import FakeServer, Fault, png_bytes, sample_media
from tests.fakes.hosted_platforms import FalFake
from tests.providers.gateway import GATEWAY_KEY, Stack, provider_stack, wait_done
from tests.support.media import image
from vidgate.config import ProviderSettings
from vidgate.providers.hosted import FalQueue

PNG_DATA_URL = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()
KLING = "fal-ai/kling-video/v2/master/text-to-video"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with provider_stack(tmp_path_factory, FalFake.provider_fake()) as stack:
        yield stack


@pytest.fixture
def api(stack: Stack) -> Iterator[httpx.Client]:
    with stack.api() as client:
        yield client


@pytest.fixture
def fake(stack: Stack) -> Iterator[FalFake]:
    state: FalFake = stack.fakes["fal"].state
    yield state
    state.polls_to_complete = 3
    state.hand_back_base = None


def submits_sent(stack: Stack) -> int:
    return sum(1 for c in stack.calls("fal", "POST"))


def test_a_request_is_queued_polled_at_the_url_handed_back_and_downloaded_without_the_key(
    api, stack, fake
) -> None:
    r = api.post(
        "/v1/videos",
        json={"model": f"fal/{KLING}", "prompt": "a dune", "seconds": 5, "size": "720x1280", "seed": 4},
    )
    assert r.status_code == 200, r.text
    job = r.json()
    assert job["status"] == "queued" and job["id"].endswith(":fal")
    sent = stack.calls("fal", "POST")[-1]
    assert sent.path == f"/{KLING}"  # the sub-path is part of the submit
    assert sent.headers["authorization"] == f"Key {fake.key}"
    assert sent.headers["content-type"] == "application/json"
    assert json.loads(sent.body) == {"prompt": "a dune", "duration": 5, "aspect_ratio": "9:16", "seed": 4}
    done = wait_done(api, job["id"])
    assert done["status"] == "completed", done
    rid = max(fake.requests)
    polls = [c for c in stack.calls("fal", "GET") if c.path.startswith(f"/fal-ai/kling-video/requests/{rid}")]
    assert [c.path.rsplit("/", 1)[-1] for c in polls] == ["status"] * fake.polls_to_complete + [rid]
    assert {c.headers["authorization"] for c in polls} == {f"Key {fake.key}"}
    assert api.get(f"/v1/videos/{job['id']}/content").content == sample_media()["video"]
    assert "authorization" not in fake.media_requests[-1]  # fal's CDN never sees the key
    thumb = api.get(f"/v1/videos/{job['id']}/content", params={"variant": "thumbnail"})
    assert image(thumb.content).format == "WEBP"


def test_status_goes_from_queued_to_in_progress(api, fake) -> None:
    fake.polls_to_complete = 10_000
    job = api.post("/v1/videos", json={"model": "fal/fal-ai/veo3", "prompt": "slow"}).json()
    assert job["status"] == "queued"
    deadline = time.monotonic() + 10
    while api.get(f"/v1/videos/{job['id']}").json()["status"] != "in_progress":
        assert time.monotonic() < deadline, "never in_progress"
        time.sleep(0.05)
    assert api.delete(f"/v1/videos/{job['id']}").json()["deleted"] is True


def test_only_what_the_caller_set_is_sent_and_an_image_goes_as_image_url(api, fake) -> None:
    r = api.post("/v1/videos", json={"model": "fal/fal-ai/veo3", "prompt": "just a prompt"})
    assert r.status_code == 200, r.text
    assert fake.latest()["input"] == {"prompt": "just a prompt"}  # nothing invented
    r = api.post(
        "/v1/videos",
        json={
            "model": "fal/fal-ai/kling-video/v2.1/standard/image-to-video",
            "prompt": "wake up",
            "input_reference": PNG_DATA_URL,
            "negative_prompt": "blur",
        },
    )
    assert r.status_code == 200, r.text
    assert fake.latest()["input"] == {
        "prompt": "wake up",
        "negative_prompt": "blur",
        "image_url": PNG_DATA_URL,
    }
    assert wait_done(api, r.json()["id"])["status"] == "completed"


def test_a_failed_run_carries_fals_field_message_and_error_type(api) -> None:
    job = api.post("/v1/videos", json={"model": f"fal/{KLING}", "prompt": "FAIL this"}).json()
    done = wait_done(api, job["id"])
    assert done["status"] == "failed"
    assert done["error"] == {
        "code": "content_policy_violation",
        "message": "prompt: The content could not be processed because it contained material flagged "
        "by a content checker.",
    }


def test_a_queue_that_hands_back_urls_on_another_host_never_gets_the_key_there(api, stack, fake) -> None:
    """The submit answer names status/response/cancel URLs on a second loopback server (same fake
    state, so it would answer): the job fails, that server receives nothing, and a delete cancels
    the request on the configured queue by its id instead."""
    with FakeServer(fake.app()) as elsewhere:
        fake.hand_back_base = elsewhere.url
        job = api.post("/v1/videos", json={"model": f"fal/{KLING}", "prompt": "follow me"}).json()
        rid = max(fake.requests)
        done = wait_done(api, job["id"], timeout=10)
        assert done["status"] == "failed", done
        assert done["error"]["code"] == "untrusted_queue_url"
        message = done["error"]["message"]
        assert f"status_url on {elsewhere.url}" in message, message
        assert stack.servers["fal"].url in message and "the fal key is sent only there" in message
        assert api.delete(f"/v1/videos/{job['id']}").json()["deleted"] is True
        keyed = [c for c in elsewhere.app.calls if "authorization" in c.headers]
        assert keyed == [] and elsewhere.app.calls == []
    cancel = stack.calls("fal", "PUT")[-1]
    assert cancel.path == f"/fal-ai/kling-video/requests/{rid}/cancel" and rid in fake.cancelled


def test_only_the_configured_queue_and_fals_own_hosts_are_trusted() -> None:
    default = FalQueue(ProviderSettings(api_key=SecretStr("k")))
    assert default.untrusted("https://queue.fal.run/fal-ai/veo3/requests/1/status") is None
    assert default.untrusted("https://queue.falrun.com/fal-ai/veo3/requests/1") is None
    assert default.untrusted("https://QUEUE.fal.run:443/fal-ai/veo3/requests/1") is None
    for url, shown in [
        ("http://queue.fal.run/fal-ai/veo3/requests/1/status", "http://queue.fal.run"),
        ("https://queue.fal.run:8443/x", "https://queue.fal.run:8443"),
        ("https://queue.fal.run.example.com/x", "https://queue.fal.run.example.com"),
        ("https://fal.run/x", "https://fal.run"),
        ("https://evil.example/x", "https://evil.example"),
        ("/fal-ai/veo3/requests/1/status", "'/fal-ai/veo3/requests/1/status' (not an absolute http(s) URL)"),
        ("", "'' (not an absolute http(s) URL)"),
    ]:
        assert default.untrusted(url) == shown, url
    own = FalQueue(ProviderSettings(api_key=SecretStr("k"), base_url="https://fal.proxy.internal/queue/"))
    assert own.untrusted("https://fal.proxy.internal/fal-ai/veo3/requests/1") is None
    assert own.untrusted("https://queue.fal.run/fal-ai/veo3/requests/1") == "https://queue.fal.run"


@pytest.mark.parametrize(
    ("fields", "param", "says"),
    [
        ({"video_uri": "https://example.com/a.mp4"}, "video_uri", "fal does not take video_uri"),
        ({"audio": False}, "audio", "fal does not take audio"),
        ({"model": "fal/veo3"}, "model", "fal/<owner>/<app> or fal/<owner>/<app>/<path>"),
        ({"model": "fal/fal-ai/veo3/"}, "model", "is not a fal model name"),
        ({"model": "fal/fal-ai/../../admin"}, "model", "is not a fal model name"),
    ],
)
def test_what_no_fal_app_takes_is_refused_before_anything_is_sent(api, stack, fields, param, says) -> None:
    before = submits_sent(stack)
    r = api.post("/v1/videos", json={"model": "fal/fal-ai/veo3", "prompt": "x", **fields})
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert error["param"] == param and says in error["message"], error
    assert submits_sent(stack) == before


def test_fals_refusals_come_back_with_its_detail(api, stack, fake) -> None:
    server = stack.servers["fal"].app
    server.inject(
        Fault("status", 403, body={"detail": "User is locked. Reason: Exhausted balance."}, method="POST")
    )
    created = len(fake.requests)
    r = api.post("/v1/videos", json={"model": "fal/fal-ai/veo3", "prompt": "broke"})
    assert (
        r.status_code >= 500 and "User is locked. Reason: Exhausted balance." in r.json()["error"]["message"]
    )
    server.inject(
        Fault(
            "status",
            422,
            body={"detail": [{"loc": ["body", "duration"], "msg": "unexpected value; permitted: '5', '10'"}]},
            method="POST",
        )
    )
    r = api.post("/v1/videos", json={"model": "fal/fal-ai/veo3", "prompt": "x", "seconds": 7})
    assert r.status_code == 400, r.text
    assert r.json()["error"]["message"] == "fal: duration: unexpected value; permitted: '5', '10'"
    assert len(fake.requests) == created


def test_a_429_is_retried_and_queues_one_request(api, stack, fake) -> None:
    stack.servers["fal"].app.inject(
        Fault(
            "status", 429, headers={"retry-after": "0"}, body={"detail": "Rate limit exceeded"}, method="POST"
        )
    )
    stack.servers["fal"].app.inject(
        Fault("status", 429, body={"detail": "Rate limit exceeded"}, method="GET", path="/status$")
    )
    created, posts = len(fake.requests), submits_sent(stack)
    r = api.post("/v1/videos", json={"model": "fal/fal-ai/veo3", "prompt": "retry me"})
    assert r.status_code == 200, r.text
    assert (len(fake.requests), submits_sent(stack)) == (created + 1, posts + 2)
    assert wait_done(api, r.json()["id"])["status"] == "completed"


def test_delete_while_queued_cancels_at_the_cancel_url(api, stack, fake) -> None:
    fake.polls_to_complete = 10_000
    job = api.post("/v1/videos", json={"model": f"fal/{KLING}", "prompt": "long"}).json()
    rid = max(fake.requests)
    assert api.delete(f"/v1/videos/{job['id']}").json()["deleted"] is True
    cancel = stack.calls("fal", "PUT")[-1]
    assert cancel.path == f"/fal-ai/kling-video/requests/{rid}/cancel" and rid in fake.cancelled
    assert cancel.headers["authorization"] == f"Key {fake.key}"
    assert api.get(f"/v1/videos/{job['id']}").status_code == 404


def test_delete_of_a_finished_or_forgotten_request_still_deletes_ours(api, fake) -> None:
    finished = api.post("/v1/videos", json={"model": "fal/fal-ai/veo3", "prompt": "done"}).json()
    assert wait_done(api, finished["id"])["status"] == "completed"
    assert api.delete(f"/v1/videos/{finished['id']}").json()["deleted"] is True  # 400 ALREADY_COMPLETED
    forgotten = api.post("/v1/videos", json={"model": "fal/fal-ai/veo3", "prompt": "gone"}).json()
    assert wait_done(api, forgotten["id"])["status"] == "completed"
    del fake.requests[max(fake.requests)]  # 404 NOT_FOUND
    assert api.delete(f"/v1/videos/{forgotten['id']}").json()["deleted"] is True


def test_a_job_through_the_openai_sdk_completes(stack, fake) -> None:
    import openai

    sdk = openai.OpenAI(base_url=f"{stack.gateway.url}/openai/v1", api_key=GATEWAY_KEY, max_retries=0)
    video = sdk.videos.create(model=f"fal/{KLING}", prompt="via openai", seconds="8", size="1280x720")
    assert fake.latest()["input"] == {"prompt": "via openai", "duration": 8, "aspect_ratio": "16:9"}
    done = sdk.videos.poll(video.id, poll_interval_ms=100)
    assert done.status == "completed", done.error
    assert sdk.videos.download_content(video.id).read() == sample_media()["video"]


def test_a_job_through_the_generated_client_completes(stack, fake) -> None:
    from vidgate_client import AuthenticatedClient
    from vidgate_client.api.videos import video_download, video_generation, video_retrieve
    from vidgate_client.models import VideoGenerationRequest, VideoGenerationResponse, VideoStatus

    with AuthenticatedClient(base_url=stack.gateway.url, token=GATEWAY_KEY, timeout=30) as client:
        body = VideoGenerationRequest.from_dict(
            {"model": "fal/fal-ai/minimax/hailuo-02/standard/text-to-video", "prompt": "via the client"}
        )
        job = video_generation.sync(client=client, body=body)
        assert isinstance(job, VideoGenerationResponse), job
        assert job.extra_fields.provider.value == "fal"
        deadline = time.monotonic() + 20
        while (current := video_retrieve.sync(job.id, client=client)).status not in (
            VideoStatus.COMPLETED,
            VideoStatus.FAILED,
        ):
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert current.status == VideoStatus.COMPLETED
        assert video_download.sync_detailed(job.id, client=client).content == sample_media()["video"]
    assert fake.latest()["model"] == "fal-ai/minimax/hailuo-02/standard/text-to-video"
