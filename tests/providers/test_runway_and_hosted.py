"""Runway, Replicate and fal through the gateway, against fakes of their native APIs."""

from __future__ import annotations

import base64

import httpx

from tests.fakes.harness import png_bytes, sample_media

from .conftest import SECRETS, wait_done

PNG_URL = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()


def test_runway_image_to_video_lifecycle_and_cancel(api: httpx.Client, fakes) -> None:
    fake = fakes.state("runway")
    r = api.post(
        "/v1/videos",
        json={
            "model": "runway/gen4_turbo",
            "prompt": "a kite",
            "seconds": 5,
            "size": "1280x720",
            "seed": 3,
            "input_reference": PNG_URL,
        },
    )
    assert r.status_code == 200, r.text
    job = r.json()
    sent = [c for c in fakes.server("runway").app.calls if c.method == "POST"][-1]  # not the first poll
    assert sent.path == "/v1/image_to_video" and sent.headers["x-runway-version"] == "2024-11-06"
    task = fake.tasks[max(fake.tasks)]["body"]
    assert task == {
        "model": "gen4_turbo",
        "promptText": "a kite",
        "ratio": "1280:720",
        "duration": 5,
        "seed": 3,
        "promptImage": PNG_URL,
    }
    done = wait_done(api, job["id"])
    assert done["status"] == "completed", done
    assert api.get(f"/v1/videos/{job['id']}/content").content == sample_media()["video"]
    assert "authorization" not in fake.output_requests[-1]  # the CDN never sees the Runway key

    # delete while running cancels the upstream task
    fake.polls_to_complete = 50
    try:
        running = api.post(
            "/v1/videos", json={"model": "runway/veo3.1", "prompt": "long", "seconds": 8}
        ).json()
        assert [c for c in fakes.server("runway").app.calls if c.method == "POST"][
            -1
        ].path == "/v1/text_to_video"
        task_id = max(fake.tasks)
        assert api.delete(f"/v1/videos/{running['id']}").json()["deleted"] is True
        assert task_id in fake.cancelled
    finally:
        fake.polls_to_complete = 3


def test_runway_failures_and_rules(api: httpx.Client) -> None:
    r = api.post("/v1/videos", json={"model": "runway/gen4_turbo", "prompt": "no image"})
    assert r.status_code == 400 and r.json()["error"]["param"] == "input_reference"
    r = api.post(
        "/v1/videos",
        json={"model": "runway/gen4_turbo", "prompt": "x", "input_reference": PNG_URL, "seconds": 11},
    )
    assert r.status_code == 400 and "allowed: 2, 3, 4, 5, 6, 7, 8, 9, 10" in r.json()["error"]["message"]
    r = api.post("/v1/videos", json={"model": "runway/veo3.1", "prompt": "FAIL this", "seconds": 4})
    done = wait_done(api, r.json()["id"])
    assert done["status"] == "failed" and done["error"] == {"code": "SAFETY", "message": "Content moderation"}


def test_runway_progress_is_mapped_from_its_fraction(api: httpx.Client, fakes) -> None:
    fake = fakes.state("runway")
    fake.polls_to_complete = 40
    try:
        job = api.post("/v1/videos", json={"model": "runway/veo3.1", "prompt": "slow", "seconds": 4}).json()
        seen = set()
        for _ in range(60):
            current = api.get(f"/v1/videos/{job['id']}").json()
            seen.add((current["status"], current["progress"]))
            if any(status == "in_progress" and 0 < progress < 100 for status, progress in seen):
                break
            import time

            time.sleep(0.05)
        assert any(status == "in_progress" and 0 < progress < 100 for status, progress in seen), seen
        api.delete(f"/v1/videos/{job['id']}")
    finally:
        fake.polls_to_complete = 3


def test_replicate_prediction_lifecycle(api: httpx.Client, fakes) -> None:
    r = api.post(
        "/v1/videos",
        json={
            "model": "replicate/google/veo-3",
            "prompt": "a lighthouse",
            "seconds": 8,
            "size": "1280x720",
            "seed": 9,
        },
    )
    assert r.status_code == 200, r.text
    fake = fakes.state("replicate")
    prediction = fake.predictions[max(fake.predictions)]
    assert prediction["model"] == "google/veo-3"
    assert prediction["input"] == {"prompt": "a lighthouse", "duration": 8, "aspect_ratio": "16:9", "seed": 9}
    assert [c for c in fakes.server("replicate").app.calls if c.method == "POST"][-1].headers[
        "authorization"
    ] == f"Bearer {SECRETS['replicate']}"
    done = wait_done(api, r.json()["id"])
    assert done["status"] == "completed", done  # the fake refuses credentials on the presigned file URL
    assert api.get(f"/v1/videos/{r.json()['id']}/content").content == sample_media()["video"]
    r = api.post("/v1/videos", json={"model": "replicate/minimax/video-01", "prompt": "just a prompt"})
    assert fake.predictions[max(fake.predictions)]["input"] == {"prompt": "just a prompt"}  # nothing invented


def test_fal_queue_lifecycle_and_failure(api: httpx.Client, fakes) -> None:
    r = api.post(
        "/v1/videos",
        json={
            "model": "fal/fal-ai/kling-video/v2/master/text-to-video",
            "prompt": "a dune",
            "seconds": 5,
            "size": "720x1280",
        },
    )
    assert r.status_code == 200, r.text
    fake = fakes.state("fal")
    request = fake.requests[max(fake.requests)]
    assert request["model"] == "fal-ai/kling-video/v2/master/text-to-video"
    assert request["input"] == {"prompt": "a dune", "duration": 5, "aspect_ratio": "9:16"}
    sent = [c for c in fakes.server("fal").app.calls if c.method == "POST"][-1]
    assert sent.headers["authorization"] == f"Key {SECRETS['fal']}"
    done = wait_done(api, r.json()["id"])
    assert done["status"] == "completed", done
    status_polls = [c for c in fakes.server("fal").app.calls if c.path.endswith("/status")]
    assert status_polls[-1].path.startswith("/fal-ai/kling-video/requests/")  # the URL the queue handed back
    failed = api.post("/v1/videos", json={"model": "fal/fal-ai/veo3", "prompt": "FAIL"}).json()
    outcome = wait_done(api, failed["id"])
    assert outcome["status"] == "failed" and "Prompt could not be processed" in outcome["error"]["message"]
