"""OpenAI (Sora 2) and Azure OpenAI through the gateway, against fakes of their native APIs."""

from __future__ import annotations

import base64
import json
import threading
import time

import httpx

from tests.fakes.harness import Fault, png_bytes, sample_media
from tests.support.listing import list_all
from tests.support.media import image, probe_mp4

from .conftest import SECRETS, secrets_absent, wait_done


def test_openai_full_lifecycle(api: httpx.Client, fakes, gateway) -> None:
    fake = fakes.state("openai")
    created = api.post(
        "/v1/videos",
        json={"model": "openai/sora-2", "prompt": "a fox in snow", "seconds": 8, "size": "1280x720"},
    )
    assert created.status_code == 200, created.text
    job = created.json()
    assert job["id"].endswith(":openai") and job["status"] == "queued" and job["seconds"] == 8
    sent = [c for c in fakes.server("openai").app.calls if c.method == "POST"][-1]
    assert sent.headers["authorization"] == f"Bearer {SECRETS['openai']}"
    assert json.loads(sent.body) == {
        "model": "sora-2",
        "prompt": "a fox in snow",
        "seconds": "8",
        "size": "1280x720",
    }

    done = wait_done(api, job["id"])
    assert done["status"] == "completed" and done["progress"] == 100
    video = api.get(f"/v1/videos/{job['id']}/content")
    assert video.status_code == 200 and video.content == sample_media()["video"]
    assert probe_mp4(video.content).codec == "h264"
    assert (
        api.get(f"/v1/videos/{job['id']}/content", params={"variant": "thumbnail"}).content
        == sample_media()["thumbnail"]
    )
    # downloads are served from the gateway's copy: the provider is not asked again
    before = fakes.server("openai").app.count("GET", "/content")
    for _ in range(3):
        assert api.get(f"/v1/videos/{job['id']}/content").status_code == 200
    assert fakes.server("openai").app.count("GET", "/content") == before

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
    secrets_absent(gateway, created.text, video.headers.get("content-type", ""))


def test_openai_values_it_cannot_take_are_400_with_the_allowed_values(api: httpx.Client) -> None:
    r = api.post("/v1/videos", json={"model": "openai/sora-2", "prompt": "x", "seconds": 5})
    assert r.status_code == 400 and r.json()["error"]["message"].endswith("allowed: 4, 8, 12")
    r = api.post("/v1/videos", json={"model": "openai/sora-2", "prompt": "x", "size": "640x480"})
    assert r.status_code == 400 and "1280x720" in r.json()["error"]["message"]
    r = api.post("/v1/videos", json={"model": "openai/sora-2", "prompt": "x", "negative_prompt": "rain"})
    assert r.status_code == 400 and r.json()["error"]["param"] == "negative_prompt"


def test_openai_image_to_video_goes_as_multipart(api: httpx.Client, fakes) -> None:
    data_url = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()
    r = api.post(
        "/v1/videos", json={"model": "openai/sora-2", "prompt": "animate", "input_reference": data_url}
    )
    assert r.status_code == 200, r.text
    sent = [c for c in fakes.server("openai").app.calls if c.method == "POST"][-1]
    assert sent.headers["content-type"].startswith("multipart/form-data")
    assert (
        b'name="input_reference"; filename="reference.png"' in sent.body
        and b'name="seconds"\r\n\r\n4' in sent.body
    )
    assert fakes.state("openai").videos[max(fakes.state("openai").videos)].had_image == "image/png"


def test_a_json_image_url_reference_reaches_the_upstream_as_a_file(gateway, fakes) -> None:
    """OpenAI's JSON create takes `input_reference: {image_url}`: fetched (here a data URL) and sent
    upstream as the file."""
    from .conftest import GATEWAY_KEY

    data_url = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()
    r = httpx.post(
        f"{gateway.url}/openai/v1/videos",
        headers={"Authorization": f"Bearer {GATEWAY_KEY}"},
        json={
            "model": "openai/sora-2",
            "prompt": "json reference",
            "input_reference": {"image_url": data_url},
        },
    )
    assert r.status_code == 200, r.text
    state = fakes.state("openai")
    assert state.videos[max(state.videos)].had_image == "image/png"


def test_a_failed_job_on_the_openai_surface_has_the_sdk_error_shape(gateway) -> None:
    import openai
    from openai.types import Video

    from tests.sdk.test_openai_sdk_types import assert_matches

    from .conftest import GATEWAY_KEY

    sdk = openai.OpenAI(base_url=f"{gateway.url}/openai/v1", api_key=GATEWAY_KEY, max_retries=0)
    video = sdk.videos.create(
        prompt="FAIL on the openai surface", model="openai/sora-2", seconds="4", size="1280x720"
    )
    failed = sdk.videos.poll(video.id, poll_interval_ms=100)
    assert (
        failed.status == "failed" and failed.error is not None and failed.error.code == "moderation_blocked"
    )
    assert_matches(sdk.videos.with_raw_response.retrieve(video.id).http_response.json(), Video)


def test_failed_upstream_job_reports_the_reason(api: httpx.Client) -> None:
    job = api.post("/v1/videos", json={"model": "openai/sora-2", "prompt": "FAIL please"}).json()
    done = wait_done(api, job["id"])
    assert done["status"] == "failed"
    assert done["error"] == {"code": "moderation_blocked", "message": "the prompt was blocked by moderation"}
    assert api.get(f"/v1/videos/{job['id']}/content").status_code == 404


def test_upstream_4xx_comes_back_with_the_providers_message(api: httpx.Client) -> None:
    r = api.post("/v1/videos", json={"model": "openai/sora-9", "prompt": "x"})
    assert r.status_code == 404
    body = r.json()
    assert body["is_bifrost_error"] is False and body["extra_fields"]["provider"] == "openai"
    assert "The model 'sora-9' does not exist" in body["error"]["message"]


def test_429_with_retry_after_and_5xx_are_retried_without_duplicates(api: httpx.Client, fakes) -> None:
    server, fake = fakes.server("openai"), fakes.state("openai")
    server.app.inject(
        Fault("status", 429, headers={"retry-after-ms": "100"}, method="POST", path="^/v1/videos$")
    )
    server.app.inject(Fault("status", 503, method="POST", path="^/v1/videos$"))
    creates = fake.creates
    r = api.post("/v1/videos", json={"model": "openai/sora-2", "prompt": "retry me"})
    assert r.status_code == 200, r.text
    assert fake.creates == creates + 1
    for kind in ("malformed", "truncate", "reset", "wrong_shape"):
        server.app.inject(Fault(kind, method="GET", path=r"^/v1/videos/video_fake"))
    assert wait_done(api, r.json()["id"])["status"] == "completed"


def test_fallback_to_the_next_provider_when_the_primary_fails(api: httpx.Client, fakes) -> None:
    fakes.server("openai").app.inject(Fault("status", 500, method="POST", path="^/v1/videos$", times=4))
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
    # Azure's fake has no thumbnails: the gateway derives them from the video
    thumb = api.get(f"/v1/videos/{job['id']}/content", params={"variant": "thumbnail"})
    assert thumb.status_code == 200 and image(thumb.content).format == "WEBP"


def test_all_candidates_failing_creates_nothing_and_says_why(api: httpx.Client, fakes) -> None:
    fakes.server("openai").app.inject(Fault("status", 502, method="POST", path="^/v1/videos$", times=4))
    before = {v["id"] for v in list_all(api, "openai")}
    r = api.post("/v1/videos", json={"model": "openai/sora-2", "prompt": "doomed"})
    assert r.status_code == 502 and r.json()["extra_fields"]["provider"] == "openai"
    after = list_all(api, "openai")
    assert {v["id"] for v in after} == before and not [v for v in after if v["prompt"] == "doomed"]


def test_azure_uses_its_path_header_and_has_no_remix(api: httpx.Client, fakes) -> None:
    job = api.post("/v1/videos", json={"model": "azure/my-sora", "prompt": "azure job"}).json()
    sent = [c for c in fakes.server("azure").app.calls if c.method == "POST"][-1]
    assert sent.path == "/openai/v1/videos" and sent.headers["api-key"] == SECRETS["azure"]
    assert "authorization" not in sent.headers
    assert wait_done(api, job["id"])["status"] == "completed"
    r = api.post(f"/v1/videos/{job['id']}/remix", json={"prompt": "again"})
    assert r.status_code == 400
    assert r.json()["error"] == {
        **r.json()["error"],
        "code": "unsupported_operation",
        "message": "video_remix is not supported by azure provider",
    }


def test_concurrent_retrieves_never_multiply_upstream_polls(api: httpx.Client, gateway, fakes) -> None:
    fake = fakes.state("openai")
    fake.polls_to_complete = 30
    try:
        job = api.post("/v1/videos", json={"model": "openai/sora-2", "prompt": "single flight"}).json()
        upstream_id = max(fake.videos)
        stop = time.monotonic() + 1.5
        counts = []

        def hammer() -> None:
            with httpx.Client(base_url=gateway.url, headers=dict(api.headers)) as c:
                while time.monotonic() < stop:
                    counts.append(c.get(f"/v1/videos/{job['id']}").status_code)

        threads = [threading.Thread(target=hammer) for _ in range(16)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
        polls = fakes.server("openai").app.count("GET", f"^/v1/videos/{upstream_id}$")
        assert set(counts) == {200} and len(counts) > 50
        # one poller per job, at the provider's pace (poll hint 50 ms, interval floor 0.1 s)
        assert polls <= elapsed / 0.05 + 2, (polls, len(counts))
        assert polls < len(counts) / 5
    finally:
        fake.polls_to_complete = 3


def test_a_lost_create_answer_is_looked_up_not_resubmitted(api: httpx.Client, fakes) -> None:
    """The provider made the video but its answer was lost: the gateway must not pay twice."""
    server, fake = fakes.server("openai"), fakes.state("openai")
    server.app.inject(Fault("lost_answer", method="POST", path="^/v1/videos$"))
    creates = fake.creates
    r = api.post("/v1/videos", json={"model": "openai/sora-2", "prompt": "lost answer lookup"})
    assert r.status_code == 200, r.text  # the job exists; the worker finds its upstream twin
    done = wait_done(api, r.json()["id"])
    assert done["status"] == "completed", done
    assert fake.creates == creates + 1
    assert server.app.count("GET", "^/v1/videos$") >= 1  # found through the list


def test_an_unresolvable_lost_answer_fails_clearly_without_a_second_submit(api: httpx.Client, fakes) -> None:
    server, fake = fakes.server("openai"), fakes.state("openai")
    server.app.inject(Fault("lost_answer", method="POST", path="^/v1/videos$"))
    server.app.inject(Fault("status", 500, method="GET", path="^/v1/videos$", times=20))  # lookups fail
    creates = fake.creates
    r = api.post("/v1/videos", json={"model": "openai/sora-2", "prompt": "lost and unfindable"})
    assert r.status_code == 200, r.text
    done = wait_done(api, r.json()["id"], timeout=60)
    assert done["status"] == "failed", done
    assert fake.creates == creates + 1
    server.app.faults.clear()
