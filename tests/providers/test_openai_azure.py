"""`openai` (an OpenAI-compatible /v1/videos endpoint) and `azure` (Azure OpenAI's v1 API) through a
real gateway process, against fakes of their native API (tests/fakes/openai_videos.py, which follows
OpenAI's published spec and the official `openai` SDK; the SDK itself is the oracle in
tests/sdk_oracles/test_openai_oracle.py)."""

from __future__ import annotations

import base64
import dataclasses
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from pydantic import SecretStr

from tests.fakes.harness import Fault, png_bytes, sample_media
from tests.fakes.openai_videos import (
    AZURE_KEY,
    KEY,
    OpenAIVideosFake,
    azure_provider_fake,
    multipart_parts,
    provider_fake,
)
from tests.providers.gateway import GATEWAY_KEY, Stack, provider_stack, wait_done
from tests.support.listing import list_all
from tests.support.media import image, probe_mp4
from vidgate.catalog import Catalog
from vidgate.config import ProviderSettings, Settings
from vidgate.domain import InvalidRequest, JobRecord, JobStatus
from vidgate.providers.openai import OpenAIVideos
from vidgate.providers.registry import build_providers

CREATE = "^/v1/videos$"
PNG_DATA_URL = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    fakes = (provider_fake(), azure_provider_fake(api_version="preview", thumbnails=False))
    with provider_stack(tmp_path_factory, *fakes) as stack:
        yield stack


@pytest.fixture
def api(stack: Stack) -> Iterator[httpx.Client]:
    with stack.api() as client:
        yield client


@pytest.fixture
def fake(stack: Stack) -> Iterator[OpenAIVideosFake]:
    state: OpenAIVideosFake = stack.fakes["openai"].state
    yield state
    state.polls_to_complete = 3
    stack.servers["openai"].app.faults.clear()


@pytest.fixture
def azure(stack: Stack) -> OpenAIVideosFake:
    return stack.fakes["azure"].state


def last_create(stack: Stack, provider: str = "openai") -> tuple[httpx.Headers, dict[str, str]]:
    """The last create's headers and its multipart fields (failing if it was anything else)."""
    sent = [c for c in stack.calls(provider, "POST") if c.path.endswith("/videos")][-1]
    parts = multipart_parts(sent.headers["content-type"], sent.body)
    return httpx.Headers(sent.headers), {p.name: p.value.decode() for p in parts if p.filename is None}


def creates_sent(stack: Stack, provider: str = "openai") -> int:
    return sum(1 for c in stack.calls(provider, "POST") if c.path.endswith("/videos"))


def test_openai_full_lifecycle(api: httpx.Client, stack: Stack, fake: OpenAIVideosFake) -> None:
    created = api.post(
        "/v1/videos",
        json={"model": "openai/sora-2", "prompt": "a fox in snow", "seconds": 8, "size": "1280x720"},
    )
    assert created.status_code == 200, created.text
    job = created.json()
    assert job["id"].endswith(":openai") and job["status"] == "queued" and job["seconds"] == 8
    headers, fields = last_create(stack)
    assert headers["authorization"] == f"Bearer {KEY}"
    assert headers["content-type"].startswith("multipart/form-data")  # as the SDK sends it, never JSON
    assert fields == {"prompt": "a fox in snow", "model": "sora-2", "seconds": "8", "size": "1280x720"}

    done = wait_done(api, job["id"])
    assert done["status"] == "completed" and done["progress"] == 100
    video = api.get(f"/v1/videos/{job['id']}/content")
    assert video.status_code == 200 and video.content == sample_media()["video"]
    assert probe_mp4(video.content).codec == "h264"
    assert (
        api.get(f"/v1/videos/{job['id']}/content", params={"variant": "thumbnail"}).content
        == sample_media()["thumbnail"]
    )
    content = [c for c in stack.calls("openai", "GET") if c.path.endswith("/content")][-3:]
    assert [c.query for c in content] == ["", "variant=thumbnail", "variant=spritesheet"]
    assert {c.headers["accept"] for c in content} == {"application/binary"}
    # downloads are served from the gateway's copy: the provider is not asked again
    before = stack.servers["openai"].app.count("GET", "/content")
    for _ in range(3):
        assert api.get(f"/v1/videos/{job['id']}/content").status_code == 200
    assert stack.servers["openai"].app.count("GET", "/content") == before

    remix = api.post(f"/v1/videos/{job['id']}/remix", json={"prompt": "the fox at night"}).json()
    assert remix["remixed_from_video_id"] == job["id"] and remix["id"].endswith(":openai")
    upstream_source = next(v for v in fake.videos.values() if v.prompt == "a fox in snow")
    assert any(v.remixed_from == upstream_source.id for v in fake.videos.values())
    assert wait_done(api, remix["id"])["status"] == "completed"

    listed = api.get("/v1/videos", params={"provider": "openai"}).json()
    assert {job["id"], remix["id"]} <= {v["id"] for v in listed["data"]}

    deleted = api.delete(f"/v1/videos/{job['id']}")
    assert deleted.json() == {**deleted.json(), "id": job["id"], "deleted": True}
    assert upstream_source.id not in fake.videos  # deleted upstream too
    assert api.get(f"/v1/videos/{job['id']}").status_code == 404
    for text in (created.text, deleted.text, video.headers.get("content-type", "")):
        assert KEY not in text and AZURE_KEY not in text


def test_catalog_values_a_model_cannot_take_are_400_with_the_allowed_values(api, stack) -> None:
    before = creates_sent(stack)
    r = api.post("/v1/videos", json={"model": "openai/sora-2", "prompt": "x", "seconds": 5})
    assert r.status_code == 400 and r.json()["error"]["message"].endswith("allowed: 4, 8, 12")
    r = api.post("/v1/videos", json={"model": "openai/sora-2", "prompt": "x", "size": "1792x1024"})
    assert r.status_code == 400 and r.json()["error"]["param"] == "size"
    assert r.json()["error"]["message"].endswith("allowed: 720x1280, 1280x720")  # the catalog's, not a tuple
    r = api.post("/v1/videos", json={"model": "openai/sora-2", "prompt": "x", "negative_prompt": "rain"})
    assert r.status_code == 400 and r.json()["error"]["param"] == "negative_prompt"
    r = api.post("/v1/videos", json={"model": "openai/sora-2-pro", "prompt": "x", "audio": False})
    assert r.status_code == 400 and r.json()["error"]["message"] == "openai/sora-2-pro always generates audio"
    assert creates_sent(stack) == before  # nothing was sent upstream
    r = api.post("/v1/videos", json={"model": "openai/sora-2-pro", "prompt": "big", "size": "1792x1024"})
    assert r.status_code == 200, r.text


def test_an_endpoints_own_model_gets_only_what_the_caller_set(api, stack, fake) -> None:
    r = api.post("/v1/videos", json={"model": "openai/wan-2.5", "prompt": "own model, own defaults"})
    assert r.status_code == 200, r.text
    assert (r.json()["seconds"], r.json()["size"]) == (4, "720x1280")  # what the job shows...
    _, fields = last_create(stack)
    assert fields == {"prompt": "own model, own defaults", "model": "wan-2.5"}  # ...is not invented upstream
    made = fake.videos[max(fake.videos)]
    assert (made.seconds, made.size) == ("5", "1280x720")  # the endpoint's own defaults decided
    assert wait_done(api, r.json()["id"])["status"] == "completed"

    r = api.post(
        "/v1/videos",
        json={"model": "openai/wan-2.5", "prompt": "values set", "seconds": 10, "size": "1920x1080"},
    )
    assert r.status_code == 200, r.text
    assert last_create(stack)[1] == {
        "prompt": "values set",
        "model": "wan-2.5",
        "seconds": "10",
        "size": "1920x1080",
    }
    before = creates_sent(stack)
    r = api.post("/v1/videos", json={"model": "openai/wan-2.5", "prompt": "x", "audio": True})
    assert r.status_code == 400 and r.json()["error"]["param"] == "audio"
    assert "no audio switch" in r.json()["error"]["message"]
    assert creates_sent(stack) == before


def test_image_to_video_goes_as_a_file_part(api, stack, fake) -> None:
    r = api.post(
        "/v1/videos", json={"model": "openai/sora-2", "prompt": "animate", "input_reference": PNG_DATA_URL}
    )
    assert r.status_code == 200, r.text
    sent = [c for c in stack.calls("openai", "POST") if c.path == "/v1/videos"][-1]
    parts = multipart_parts(sent.headers["content-type"], sent.body)
    assert [(p.name, p.filename, p.content_type) for p in parts] == [
        ("prompt", None, None),
        ("model", None, None),
        ("seconds", None, None),
        ("size", None, None),
        ("input_reference", "reference.png", "image/png"),
    ]
    assert parts[-1].value == png_bytes()
    assert fake.videos[max(fake.videos)].had_image == "image/png"


def test_a_json_image_url_reference_reaches_the_upstream_as_a_file(stack, fake) -> None:
    """OpenAI's JSON create takes `input_reference: {image_url}`: fetched (here a data URL) and sent
    upstream as the file."""
    r = httpx.post(
        f"{stack.gateway.url}/openai/v1/videos",
        headers={"Authorization": f"Bearer {GATEWAY_KEY}"},
        json={
            "model": "openai/sora-2",
            "prompt": "json reference",
            "input_reference": {"image_url": PNG_DATA_URL},
        },
    )
    assert r.status_code == 200, r.text
    assert fake.videos[max(fake.videos)].had_image == "image/png"


def test_a_job_through_the_openai_sdk_completes(stack, fake) -> None:
    import openai

    sdk = openai.OpenAI(base_url=f"{stack.gateway.url}/openai/v1", api_key=GATEWAY_KEY, max_retries=0)
    with pytest.warns(DeprecationWarning):
        video = sdk.videos.create_and_poll(
            prompt="through the sdk",
            model="openai/sora-2",
            seconds="4",
            size="1280x720",
            poll_interval_ms=100,
        )
        assert video.status == "completed" and video.model == "openai/sora-2"
        assert sdk.videos.download_content(video.id).content == sample_media()["video"]
    assert fake.videos[max(fake.videos)].prompt == "through the sdk"


def test_a_failed_job_on_the_openai_surface_has_the_sdk_error_shape(stack) -> None:
    import openai
    from openai.types import Video

    from tests.sdk.test_openai_sdk_types import assert_matches

    sdk = openai.OpenAI(base_url=f"{stack.gateway.url}/openai/v1", api_key=GATEWAY_KEY, max_retries=0)
    with pytest.warns(DeprecationWarning):
        video = sdk.videos.create(
            prompt="FAIL on the openai surface", model="openai/sora-2", seconds="4", size="1280x720"
        )
        failed = sdk.videos.poll(video.id, poll_interval_ms=100)
        assert failed.status == "failed" and failed.error is not None
        assert failed.error.code == "moderation_blocked"
        assert_matches(sdk.videos.with_raw_response.retrieve(video.id).http_response.json(), Video)


def test_a_job_through_the_generated_client_completes(stack, fake) -> None:
    from vidgate_client import AuthenticatedClient
    from vidgate_client.api.videos import video_download, video_generation, video_retrieve
    from vidgate_client.models import VideoGenerationRequest, VideoGenerationResponse, VideoStatus

    with AuthenticatedClient(base_url=stack.gateway.url, token=GATEWAY_KEY, timeout=30) as client:
        body = VideoGenerationRequest.from_dict(
            {"model": "openai/sora-2", "prompt": "via the client", "seconds": 4, "size": "720x1280"}
        )
        job = video_generation.sync(client=client, body=body)
        assert isinstance(job, VideoGenerationResponse), job
        assert job.extra_fields.provider.value == "openai"
        deadline = time.monotonic() + 20
        while (current := video_retrieve.sync(job.id, client=client)).status not in (
            VideoStatus.COMPLETED,
            VideoStatus.FAILED,
        ):
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert current.status == VideoStatus.COMPLETED
        assert video_download.sync_detailed(job.id, client=client).content == sample_media()["video"]
    assert fake.videos[max(fake.videos)].prompt == "via the client"


def test_failed_upstream_job_reports_the_reason(api: httpx.Client) -> None:
    job = api.post("/v1/videos", json={"model": "openai/sora-2", "prompt": "FAIL please"}).json()
    done = wait_done(api, job["id"])
    assert done["status"] == "failed"
    assert done["error"] == {"code": "moderation_blocked", "message": "the prompt was blocked by moderation"}
    assert api.get(f"/v1/videos/{job['id']}/content").status_code == 404


def test_a_capacity_failure_says_when_to_try_again(api: httpx.Client) -> None:
    """A failed video whose error carries the original failure's headers (Retry-After and the
    capacity reason, VideoCreateError.headers): the job's message says when to try again."""
    job = api.post("/v1/videos", json={"model": "openai/sora-2", "prompt": "CAPACITY please"}).json()
    done = wait_done(api, job["id"])
    assert done["status"] == "failed"
    assert done["error"] == {
        "code": "capacity_exceeded",
        "message": "the video could not be generated: no capacity in this region "
        "(capacity: region_at_capacity); openai asks to be tried again in 30 s",
    }


def test_upstream_4xx_comes_back_with_the_providers_message(api: httpx.Client) -> None:
    r = api.post("/v1/videos", json={"model": "openai/sora-9", "prompt": "x"})
    assert r.status_code == 404
    body = r.json()
    assert body["is_bifrost_error"] is False and body["extra_fields"]["provider"] == "openai"
    assert "The model 'sora-9' does not exist" in body["error"]["message"]


def test_429_with_retry_after_and_5xx_are_retried_without_duplicates(api, stack, fake) -> None:
    server = stack.servers["openai"]
    server.app.inject(Fault("status", 429, headers={"retry-after-ms": "100"}, method="POST", path=CREATE))
    server.app.inject(Fault("status", 503, method="POST", path=CREATE))
    creates = fake.creates
    r = api.post("/v1/videos", json={"model": "openai/sora-2", "prompt": "retry me"})
    assert r.status_code == 200, r.text
    assert fake.creates == creates + 1 and creates_sent(stack) >= 3
    for kind in ("malformed", "truncate", "reset", "wrong_shape"):
        server.app.inject(Fault(kind, method="GET", path=r"^/v1/videos/video_fake"))
    assert wait_done(api, r.json()["id"])["status"] == "completed"


def test_fallback_to_the_next_provider_when_the_primary_fails(api, stack) -> None:
    stack.servers["openai"].app.inject(Fault("status", 500, method="POST", path=CREATE, times=4))
    r = api.post(
        "/v1/videos",
        json={
            "model": "openai/sora-2",
            "prompt": "fallback please",
            "seconds": 4,
            "size": "1280x720",
            "fallbacks": [{"provider": "azure", "model": "sora-deployment"}],
        },
    )
    assert r.status_code == 200, r.text
    job = r.json()
    assert job["id"].endswith(":azure") and job["model"] == "azure/sora-deployment"
    assert job["extra_fields"]["provider"] == "azure"
    done = wait_done(api, job["id"])
    assert done["status"] == "completed"
    # Azure's fake has no thumbnails: the gateway derives them from the video. With api-version on
    # every request, the variant must still reach Azure (it once did not, and the MP4 was kept as
    # the thumbnail).
    thumb = api.get(f"/v1/videos/{job['id']}/content", params={"variant": "thumbnail"})
    assert thumb.status_code == 200 and image(thumb.content).format == "WEBP"
    content = [c for c in stack.calls("azure", "GET") if c.path.endswith("/content")][-3:]
    assert [httpx.QueryParams(c.query).get("variant") for c in content] == [None, "thumbnail", "spritesheet"]


def test_all_candidates_failing_creates_nothing_and_says_why(api, stack) -> None:
    stack.servers["openai"].app.inject(Fault("status", 503, method="POST", path=CREATE, times=4))
    before = {v["id"] for v in list_all(api, "openai")}
    r = api.post("/v1/videos", json={"model": "openai/sora-2", "prompt": "doomed"})
    assert r.status_code == 502 and r.json()["extra_fields"]["provider"] == "openai"
    after = list_all(api, "openai")
    assert {v["id"] for v in after} == before and not [v for v in after if v["prompt"] == "doomed"]


def test_azure_uses_its_path_header_and_api_version_and_has_no_remix(api, stack) -> None:
    job = api.post("/v1/videos", json={"model": "azure/my-sora", "prompt": "azure job"}).json()
    headers, fields = last_create(stack, "azure")
    sent = [c for c in stack.calls("azure", "POST")][-1]
    assert (sent.path, sent.query) == ("/openai/v1/videos", "api-version=preview")
    assert headers["api-key"] == AZURE_KEY and "authorization" not in headers
    assert fields == {"prompt": "azure job", "model": "my-sora", "seconds": "4", "size": "720x1280"}
    assert wait_done(api, job["id"])["status"] == "completed"
    assert {c.query.split("&")[0] for c in stack.calls("azure")} == {"api-version=preview"}
    r = api.post(f"/v1/videos/{job['id']}/remix", json={"prompt": "again"})
    assert r.status_code == 400
    assert r.json()["error"] == {
        **r.json()["error"],
        "code": "unsupported_operation",
        "message": "video_remix is not supported by azure provider",
    }


def test_azure_deployments_refuse_what_sora_cannot_take(api, stack) -> None:
    """Every Azure deployment on /openai/v1/videos is Sora 2, which always makes audio: `audio: false`
    is refused as for openai/sora-2 (Azure's prepare once lost this), and so are Sora 2's other
    limits, read from the catalog's azure/sora-2."""
    before = creates_sent(stack, "azure")
    r = api.post("/v1/videos", json={"model": "azure/my-sora", "prompt": "silent", "audio": False})
    assert r.status_code == 400, r.text
    assert r.json()["error"]["param"] == "audio"
    assert r.json()["error"]["message"] == "azure/my-sora always generates audio"
    r = api.post("/v1/videos", json={"model": "azure/my-sora", "prompt": "x", "size": "1792x1024"})
    assert r.status_code == 400 and r.json()["error"]["message"].endswith("allowed: 720x1280, 1280x720")
    assert creates_sent(stack, "azure") == before
    r = api.post("/v1/videos", json={"model": "azure/my-sora", "prompt": "with sound", "audio": True})
    assert r.status_code == 200, r.text


def test_deleting_a_running_job_keeps_going_when_the_endpoint_will_not(api, stack, fake) -> None:
    """The spec deletes only completed or failed videos: an endpoint that refuses to delete a
    running one leaves it to finish there, and the gateway's copy is deleted all the same."""
    fake.polls_to_complete = 1000
    job = api.post("/v1/videos", json={"model": "openai/sora-2", "prompt": "delete me early"}).json()
    upstream_id = max(fake.videos)
    r = api.delete(f"/v1/videos/{job['id']}")
    assert r.status_code == 200 and r.json()["deleted"] is True, r.text
    assert api.get(f"/v1/videos/{job['id']}").status_code == 404
    assert len([c for c in stack.calls("openai", "DELETE") if c.path.endswith(upstream_id)]) == 1
    assert upstream_id in fake.videos  # refused upstream (400): left to finish and expire there
    assert "upstream_delete_refused" in stack.gateway.log()


def test_concurrent_retrieves_never_multiply_upstream_polls(api, stack, fake) -> None:
    fake.polls_to_complete = 30
    job = api.post("/v1/videos", json={"model": "openai/sora-2", "prompt": "single flight"}).json()
    upstream_id = max(fake.videos)
    stop = time.monotonic() + 1.5
    counts = []

    def hammer() -> None:
        with stack.api() as c:
            while time.monotonic() < stop:
                counts.append(c.get(f"/v1/videos/{job['id']}").status_code)

    threads = [threading.Thread(target=hammer) for _ in range(16)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    polls = stack.servers["openai"].app.count("GET", f"^/v1/videos/{upstream_id}$")
    assert set(counts) == {200} and len(counts) > 50
    # one poller per job, at the provider's pace (poll hint 50 ms, interval floor 0.1 s)
    assert polls <= elapsed / 0.05 + 2, (polls, len(counts))
    assert polls < len(counts) / 5


def test_a_lost_create_answer_is_looked_up_not_resubmitted(api, stack, fake) -> None:
    """The provider made the video but its answer was lost: the gateway must not pay twice."""
    server = stack.servers["openai"]
    server.app.inject(Fault("lost_answer", method="POST", path=CREATE))
    creates, lookups = fake.creates, server.app.count("GET", CREATE)
    r = api.post("/v1/videos", json={"model": "openai/sora-2", "prompt": "lost answer lookup"})
    assert r.status_code == 200, r.text  # the job exists; the worker finds its upstream twin
    done = wait_done(api, r.json()["id"])
    assert done["status"] == "completed", done
    assert fake.creates == creates + 1
    assert server.app.count("GET", CREATE) > lookups  # found through the list


def test_a_create_a_proxy_answered_502_is_looked_up_not_resent(api, stack, fake) -> None:
    """A 502 may come from a proxy that passed the create on: like a lost answer, the worker looks
    it up (here: not there, so proven unsent) and only then submits, once."""
    server = stack.servers["openai"]
    server.app.inject(Fault("status", 502, method="POST", path=CREATE, times=1))
    creates, lookups = fake.creates, server.app.count("GET", CREATE)
    r = api.post("/v1/videos", json={"model": "openai/sora-2", "prompt": "proxy gave up"})
    assert r.status_code == 200, r.text
    done = wait_done(api, r.json()["id"])
    assert done["status"] == "completed", done
    assert server.app.count("GET", CREATE) > lookups  # looked up before the second create
    assert fake.creates == creates + 1


def test_an_unresolvable_lost_answer_fails_clearly_without_a_second_submit(api, stack, fake) -> None:
    server = stack.servers["openai"]
    server.app.inject(Fault("lost_answer", method="POST", path=CREATE))
    server.app.inject(Fault("status", 500, method="GET", path=CREATE, times=20))  # lookups fail
    creates = fake.creates
    r = api.post("/v1/videos", json={"model": "openai/sora-2", "prompt": "lost and unfindable"})
    assert r.status_code == 200, r.text
    done = wait_done(api, r.json()["id"], timeout=60)
    assert done["status"] == "failed", done
    assert fake.creates == creates + 1


def test_openai_is_not_offered_without_a_base_url_and_says_why() -> None:
    """OpenAI's own Sora API is shut down: there is no default URL to fall back to."""
    settings = Settings(providers={"openai": ProviderSettings(api_key=SecretStr("sk-only-a-key"))})
    registry = build_providers(settings, Catalog.load())
    assert "openai" not in registry.offered
    message = registry.unconfigured["openai"]
    assert message.startswith("VIDGATE_PROVIDERS__OPENAI__BASE_URL (")
    assert "OpenAI-compatible" in message and "shut down on 2026-09-24" in message


@pytest.mark.parametrize(
    ("hint", "expected"),
    [("800", 0.8), ("2500", 2.5), ("0", 0.5), ("12.5", 0.5), ("soon", 5.0), (None, 5.0), ("-1", 5.0)],
)
def test_the_poll_hint_is_honoured_but_never_a_busy_loop(hint: str | None, expected: float) -> None:
    provider = OpenAIVideos(
        ProviderSettings(api_key=SecretStr("sk"), base_url="http://127.0.0.1:9", poll_interval_seconds=5)
    )
    headers = {"openai-poll-after-ms": hint} if hint is not None else {}
    assert provider.next_poll(httpx.Response(200, headers=headers)) == pytest.approx(expected)


def test_a_catalog_model_without_remix_is_refused_before_anything_is_sent() -> None:
    """Remix is one of a model's catalog `operations`: a listed model without it cannot be remixed;
    an endpoint's own model is the endpoint's to refuse."""
    provider = OpenAIVideos(ProviderSettings(api_key=SecretStr("sk"), base_url="http://127.0.0.1:9"))
    provider.catalog = Catalog.load({"openai": {"models": {"sora-2": {"operations": []}}}}).entry("openai")
    source = JobRecord(
        id="job_src",
        tenant="t",
        provider="openai",
        model="sora-2",
        status=JobStatus.COMPLETED,
        prompt="p",
        seconds=4,
        size="720x1280",
        created_at=0,
        upstream_id="video_src",
    )
    with pytest.raises(InvalidRequest) as refused:
        provider.prepare_remix(source, "again")
    assert (refused.value.code, refused.value.message) == (
        "unsupported_operation",
        "openai/sora-2 cannot remix a video",
    )
    own = dataclasses.replace(source, model="wan-2.5")
    assert provider.prepare_remix(own, "again").model == "wan-2.5"
