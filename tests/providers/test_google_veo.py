"""Veo on the Gemini API and on Vertex AI, through the gateway, against fakes of both."""

from __future__ import annotations

import base64

import httpx

from tests.fakes.harness import png_bytes, sample_media
from tests.support.media import image

from .conftest import SECRETS, VERTEX_LOCATION, VERTEX_PROJECT, wait_done


def test_gemini_lifecycle_downloads_the_sample_with_the_key(api: httpx.Client, fakes) -> None:
    fake = fakes.state("gemini")
    r = api.post(
        "/v1/videos",
        json={
            "model": "gemini/veo-3.1-generate-preview",
            "prompt": "waves",
            "seconds": 8,
            "size": "1920x1080",
            "negative_prompt": "boats",
            "seed": 7,
        },
    )
    assert r.status_code == 200, r.text
    job = r.json()
    assert job["id"].endswith(":gemini")
    sent = [c for c in fakes.server("gemini").app.calls if c.method == "POST"][-1]  # not the first poll
    assert sent.path == "/v1beta/models/veo-3.1-generate-preview:predictLongRunning"
    assert sent.headers["x-goog-api-key"] == SECRETS["gemini"]
    assert fake.operations.bodies[-1] == {
        "instances": [{"prompt": "waves"}],
        "parameters": {
            "sampleCount": 1,
            "durationSeconds": 8,
            "aspectRatio": "16:9",
            "resolution": "1080p",
            "negativePrompt": "boats",
            "seed": 7,
        },
    }
    done = wait_done(api, job["id"])
    assert done["status"] == "completed", done
    assert api.get(f"/v1/videos/{job['id']}/content").content == sample_media()["video"]
    assert fake.downloads_with_key >= 1  # followed the redirect from the file URI, key sent
    sheet = api.get(f"/v1/videos/{job['id']}/content", params={"variant": "spritesheet"})
    assert image(sheet.content).format == "JPEG"  # derived by the gateway
    # no remix on Veo; delete is the gateway's own
    r = api.post(f"/v1/videos/{job['id']}/remix", json={"prompt": "x"})
    assert r.json()["error"]["message"] == "video_remix is not supported by gemini provider"
    assert api.delete(f"/v1/videos/{job['id']}").json()["deleted"] is True


def test_gemini_image_to_video_and_filtered_output(api: httpx.Client, fakes) -> None:
    data_url = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()
    r = api.post(
        "/v1/videos",
        json={
            "model": "gemini/veo-3.1-generate-preview",
            "prompt": "BLOCKED scene",
            "input_reference": data_url,
            "seconds": 4,
        },
    )
    assert r.status_code == 200, r.text
    image_sent = fakes.state("gemini").operations.bodies[-1]["instances"][0]["image"]
    assert image_sent == {
        "bytesBase64Encoded": base64.b64encode(png_bytes()).decode(),
        "mimeType": "image/png",
    }
    done = wait_done(api, r.json()["id"])
    assert done["status"] == "failed"
    assert done["error"] == {"code": "content_filtered", "message": "The prompt was blocked."}


def test_gemini_values_it_cannot_take(api: httpx.Client) -> None:
    r = api.post("/v1/videos", json={"model": "gemini/veo-3.1-generate-preview", "prompt": "x", "seconds": 5})
    assert r.status_code == 400 and r.json()["error"]["message"].endswith("allowed: 4, 6, 8")
    r = api.post(
        "/v1/videos", json={"model": "gemini/veo-3.1-generate-preview", "prompt": "x", "size": "1024x1024"}
    )
    assert r.status_code == 400 and "1280x720, 720x1280, 1920x1080, 1080x1920" in r.json()["error"]["message"]
    r = api.post(
        "/v1/videos", json={"model": "gemini/veo-3.1-generate-preview", "prompt": "x", "audio": False}
    )
    assert r.status_code == 400 and r.json()["error"]["param"] == "audio"


def test_vertex_inline_base64_output(api: httpx.Client, fakes) -> None:
    r = api.post(
        "/v1/videos",
        json={
            "model": "vertex/veo-3.1-generate-001",
            "prompt": "forest",
            "seconds": 6,
            "size": "720x1280",
            "audio": True,
            "video_uri": "gs://my-bucket/source.mp4",
        },
    )
    assert r.status_code == 200, r.text
    sent = [c for c in fakes.server("vertex").app.calls if c.path.endswith(":predictLongRunning")][-1]
    assert sent.path == (
        f"/v1/projects/{VERTEX_PROJECT}/locations/{VERTEX_LOCATION}/publishers/google/models/"
        "veo-3.1-generate-001:predictLongRunning"
    )
    assert sent.headers["authorization"] == f"Bearer {SECRETS['vertex']}"
    body = fakes.state("vertex").operations.bodies[-1]
    assert body["instances"][0]["video"] == {"gcsUri": "gs://my-bucket/source.mp4", "mimeType": "video/mp4"}
    assert body["parameters"]["generateAudio"] is True and body["parameters"]["aspectRatio"] == "9:16"
    done = wait_done(api, r.json()["id"])
    assert done["status"] == "completed", done
    polls = [c for c in fakes.server("vertex").app.calls if c.path.endswith(":fetchPredictOperation")]
    assert polls and all(c.method == "POST" for c in polls)
    assert api.get(f"/v1/videos/{r.json()['id']}/content").content == sample_media()["video"]


def test_vertex_gcs_output_is_fetched_through_the_gcs_json_api(api: httpx.Client, fakes) -> None:
    r = api.post("/v1/videos", json={"model": "vertex/veo-3.1-generate-001", "prompt": "GCS output please"})
    done = wait_done(api, r.json()["id"])
    assert done["status"] == "completed", done
    assert fakes.state("vertex").gcs_reads[-1].startswith("veo-out/")
    assert api.get(f"/v1/videos/{r.json()['id']}/content").content == sample_media()["video"]
