"""Replicate and fal through the gateway, against fakes of their native APIs (Runway's tests, once
here too, are in test_runway.py)."""

from __future__ import annotations

import httpx

from tests.fakes.harness import sample_media

from .conftest import SECRETS, wait_done


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
