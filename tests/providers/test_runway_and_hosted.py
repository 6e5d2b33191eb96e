"""Runway, Replicate and fal through the gateway, against fakes of their native APIs."""

from __future__ import annotations

import base64

import httpx

from tests.fakes.harness import png_bytes, sample_media

from .conftest import wait_done

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
