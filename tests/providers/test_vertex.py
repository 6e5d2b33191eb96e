"""`vertex` (Veo on Vertex AI) through a real gateway, against the fake in tests/fakes/vertex.py; what
it sends is held against the official SDK in tests/sdk_oracles/test_vertex_oracle.py."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import httpx
import openai
import pytest
from vidgate_client import AuthenticatedClient
from vidgate_client.api.videos import video_download, video_generation
from vidgate_client.models import VideoGenerationRequest, VideoGenerationResponse

from tests.fakes.harness import Fault, png_bytes, sample_media
from tests.fakes.vertex import VertexFake
from tests.support.media import image

from .gateway import GATEWAY_KEY, Stack, provider_stack, wait_done

VEO = "vertex/veo-3.1-generate-001"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with provider_stack(tmp_path_factory, VertexFake.provider_fake()) as stack:
        yield stack


@pytest.fixture
def api(stack: Stack) -> Iterator[httpx.Client]:
    with stack.api() as client:
        yield client


def fake(stack: Stack) -> VertexFake:
    return stack.fakes["vertex"].state


def model_path(stack: Stack, model: str) -> str:
    f = fake(stack)
    return f"/v1/projects/{f.project}/locations/{f.location}/publishers/google/models/{model}"


def creates(stack: Stack) -> list:
    return [c for c in stack.calls("vertex", "POST") if c.path.endswith(":predictLongRunning")]


def test_extension_input_and_audio_with_an_inline_base64_answer(stack: Stack, api: httpx.Client) -> None:
    r = api.post(
        "/v1/videos",
        json={
            "model": VEO,
            "prompt": "forest",
            "seconds": 6,
            "size": "720x1280",
            "audio": True,
            "negative_prompt": "people",
            "seed": 42,
            "video_uri": "gs://my-bucket/source.mp4",
        },
    )
    assert r.status_code == 200, r.text
    assert r.json()["id"].endswith(":vertex")
    sent = creates(stack)[-1]
    assert sent.path == model_path(stack, "veo-3.1-generate-001") + ":predictLongRunning"
    assert sent.headers["authorization"] == f"Bearer {fake(stack).token}"
    assert json.loads(sent.body) == {
        "instances": [
            {"prompt": "forest", "video": {"gcsUri": "gs://my-bucket/source.mp4", "mimeType": "video/mp4"}}
        ],
        "parameters": {
            "sampleCount": 1,
            "durationSeconds": 6,
            "aspectRatio": "9:16",
            "resolution": "720p",
            "negativePrompt": "people",
            "seed": 42,
            "generateAudio": True,
        },
    }
    done = wait_done(api, r.json()["id"])
    assert done["status"] == "completed", done
    polls = [c for c in stack.calls("vertex") if c.path.endswith(":fetchPredictOperation")]
    assert len(polls) >= 2 and all(c.method == "POST" for c in polls)
    name = list(fake(stack).operations)[-1]
    assert json.loads(polls[-1].body) == {"operationName": name}
    assert api.get(f"/v1/videos/{r.json()['id']}/content").content == sample_media()["video"]
    sheet = api.get(f"/v1/videos/{r.json()['id']}/content", params={"variant": "spritesheet"})
    assert image(sheet.content).format == "JPEG"  # derived by the gateway


def test_a_gcs_answer_is_read_through_the_gcs_json_api(stack: Stack, api: httpx.Client) -> None:
    r = api.post("/v1/videos", json={"model": VEO, "prompt": "GCS output please"})
    done = wait_done(api, r.json()["id"])
    assert done["status"] == "completed", done
    assert fake(stack).gcs_reads[-1].startswith("veo-out/")
    read = [c for c in stack.calls("vertex", "GET") if c.path.startswith("/storage/v1/b/veo-out/o/")][-1]
    assert read.query == "alt=media" and read.headers["authorization"] == f"Bearer {fake(stack).token}"
    assert api.get(f"/v1/videos/{r.json()['id']}/content").content == sample_media()["video"]


def test_image_to_video_in_4k_asks_for_the_soundtrack_by_default(stack: Stack, api: httpx.Client) -> None:
    png = png_bytes()
    r = api.post(
        "/v1/videos",
        json={
            "model": "vertex/veo-3.1-fast-generate-001",
            "prompt": "the cat turns its head",
            "input_reference": "data:image/png;base64," + base64.b64encode(png).decode(),
            "size": "3840x2160",
        },
    )
    assert r.status_code == 200, r.text
    assert (r.json()["seconds"], r.json()["size"]) == (8, "3840x2160")  # the catalog's default length
    body = json.loads(creates(stack)[-1].body)
    assert body["instances"] == [
        {
            "prompt": "the cat turns its head",
            "image": {"bytesBase64Encoded": base64.b64encode(png).decode(), "mimeType": "image/png"},
        }
    ]
    assert body["parameters"] == {
        "sampleCount": 1,
        "durationSeconds": 8,
        "aspectRatio": "16:9",
        "resolution": "4k",
        "generateAudio": True,
    }
    assert wait_done(api, r.json()["id"])["status"] == "completed"


def test_veo_2_takes_no_resolution_and_no_audio_flag(stack: Stack, api: httpx.Client) -> None:
    r = api.post(
        "/v1/videos", json={"model": "vertex/veo-2.0-generate-001", "prompt": "a river", "seconds": 5}
    )
    assert r.status_code == 200, r.text
    assert json.loads(creates(stack)[-1].body)["parameters"] == {
        "sampleCount": 1,
        "durationSeconds": 5,
        "aspectRatio": "16:9",
    }
    assert wait_done(api, r.json()["id"])["status"] == "completed"


@pytest.mark.parametrize(
    ("prompt", "code", "message"),
    [
        ("FAIL here", "INVALID_ARGUMENT", "Unsupported output for this prompt."),
        ("BLOCKED scene", "content_filtered", "The prompt could not be submitted (code 58061214)."),
    ],
)
def test_failed_and_filtered_operations_fail_the_job_with_the_providers_words(
    api: httpx.Client, prompt: str, code: str, message: str
) -> None:
    r = api.post("/v1/videos", json={"model": VEO, "prompt": prompt})
    assert r.status_code == 200, r.text
    done = wait_done(api, r.json()["id"])
    assert done["status"] == "failed"
    assert done["error"] == {"code": code, "message": message}


def test_a_rate_limited_create_is_retried(stack: Stack, api: httpx.Client) -> None:
    before = len(creates(stack))
    stack.servers["vertex"].app.inject(
        Fault("status", 429, headers={"retry-after": "0"}, method="POST", path=":predictLongRunning$")
    )
    r = api.post("/v1/videos", json={"model": VEO, "prompt": "after a 429"})
    assert r.status_code == 200, r.text
    assert len(creates(stack)) == before + 2
    assert wait_done(api, r.json()["id"])["status"] == "completed"


def test_a_google_error_answer_reaches_the_caller_with_its_message(stack: Stack, api: httpx.Client) -> None:
    denied = "Permission 'aiplatform.endpoints.predict' denied on resource."
    error = {"error": {"code": 403, "message": denied, "status": "PERMISSION_DENIED"}}
    stack.servers["vertex"].app.inject(Fault("status", 403, body=error, path=":predictLongRunning$"))
    r = api.post("/v1/videos", json={"model": VEO, "prompt": "no permission"})
    assert r.status_code == 502, r.text  # the gateway's own credentials: the operator's problem
    assert denied in r.json()["error"]["message"]
    assert r.json()["extra_fields"]["error_type"] == "provider_auth"


@pytest.mark.parametrize(
    ("fields", "param", "says"),
    [
        ({"seconds": 5}, "seconds", "allowed: 4, 6, 8"),
        ({"size": "1024x1024"}, "size", "1280x720, 720x1280, 1920x1080, 1080x1920, 3840x2160, 2160x3840"),
        ({"model": "vertex/veo-3.1-lite-generate-001", "size": "3840x2160"}, "size", "1920x1080, 1080x1920"),
        ({"model": "vertex/veo-2.0-generate-001", "audio": True}, "audio", "generates no audio"),
        (
            {"model": "vertex/veo-2.0-generate-001", "video_uri": "gs://b/v.mp4"},
            "video_uri",
            "no source video",
        ),
        ({"video_uri": "https://example.com/v.mp4"}, "video_uri", "gs:// URI"),
        ({"model": "vertex/veo-3.0-generate-001"}, "model", "use vertex/veo-3.1-generate-001"),
    ],
)
def test_values_a_model_cannot_take_are_refused_before_anything_is_sent(
    stack: Stack, api: httpx.Client, fields: dict, param: str, says: str
) -> None:
    before = len(stack.calls("vertex"))
    r = api.post("/v1/videos", json={"model": VEO, "prompt": "x", **fields})
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert error["param"] == param and says in error["message"], error
    assert len(stack.calls("vertex")) == before


def test_a_job_through_the_openai_sdk(stack: Stack) -> None:
    sdk = openai.OpenAI(base_url=f"{stack.gateway.url}/openai/v1", api_key=GATEWAY_KEY, max_retries=0)
    video = sdk.videos.create_and_poll(
        model=VEO,  # type: ignore[arg-type]
        prompt="a lighthouse, through the OpenAI SDK",
        seconds="4",
        size="1280x720",
        poll_interval_ms=100,
    )
    assert video.status == "completed" and video.id.endswith(":vertex") and video.model == VEO
    assert sdk.videos.download_content(video.id).read() == sample_media()["video"]
    params = json.loads(creates(stack)[-1].body)["parameters"]
    assert (params["durationSeconds"], params["aspectRatio"], params["resolution"]) == (4, "16:9", "720p")


def test_a_job_through_the_generated_client(stack: Stack) -> None:
    with AuthenticatedClient(base_url=stack.gateway.url, token=GATEWAY_KEY, timeout=30) as client:
        body = VideoGenerationRequest.from_dict(
            {
                "model": VEO,
                "prompt": "a kite, through the generated client",
                "seconds": 6,
                "size": "1920x1080",
            }
        )
        job = video_generation.sync(client=client, body=body)
        assert isinstance(job, VideoGenerationResponse), job
        with stack.api() as api:
            assert wait_done(api, job.id)["status"] == "completed"
        assert video_download.sync_detailed(job.id, client=client).content == sample_media()["video"]
    assert json.loads(creates(stack)[-1].body)["parameters"]["resolution"] == "1080p"


def test_extend_a_vertex_video_by_id_sends_the_kept_file_as_the_source(
    stack: Stack, api: httpx.Client
) -> None:
    first = api.post("/v1/videos", json={"model": VEO, "prompt": "a kite over dunes", "seconds": 8}).json()
    assert wait_done(api, first["id"])["status"] == "completed"
    kept = api.get(f"/v1/videos/{first['id']}/content").content
    r = api.post(
        "/v1/videos/extensions",
        json={"prompt": "the kite climbs", "seconds": 7, "video": {"id": first["id"]}},
    )
    assert r.status_code == 200, r.text
    job = r.json()
    assert job["id"].endswith(":vertex") and job["seconds"] == 15  # the stitched total Veo answers with
    assert job["extra_fields"]["cost"] == {
        "usd": round(0.40 * 7, 6),
        "final": False,
    }  # the new part, with audio
    sent = json.loads(creates(stack)[-1].body)
    assert sent["instances"] == [
        {
            "prompt": "the kite climbs",
            "video": {"bytesBase64Encoded": base64.b64encode(kept).decode(), "mimeType": "video/mp4"},
        }
    ]
    assert sent["parameters"]["durationSeconds"] == 7 and sent["parameters"]["aspectRatio"] == "16:9"
    done = wait_done(api, job["id"])
    assert done["status"] == "completed" and done["seconds"] == 15


def test_what_vertex_cannot_do_is_refused_before_anything_is_sent(stack: Stack, api: httpx.Client) -> None:
    first = api.post("/v1/videos", json={"model": VEO, "prompt": "a kite", "seconds": 4}).json()
    veo2 = api.post(
        "/v1/videos", json={"model": "vertex/veo-2.0-generate-001", "prompt": "x", "seconds": 5}
    ).json()
    assert wait_done(api, first["id"])["status"] == wait_done(api, veo2["id"])["status"] == "completed"
    odd = api.post(
        "/v1/videos/extensions", json={"prompt": "refused", "seconds": 4, "video": {"id": first["id"]}}
    )
    assert odd.status_code == 400 and odd.json()["error"]["code"] == "invalid_seconds"
    edit = api.post("/v1/videos/edits", json={"prompt": "refused", "video": {"id": first["id"]}})
    assert edit.status_code == 400 and edit.json()["error"]["code"] == "unsupported_operation"
    assert "video_edit is not supported by vertex" in edit.json()["error"]["message"]
    veo2 = api.post(
        "/v1/videos", json={"model": "vertex/veo-2.0-generate-001", "prompt": "x", "seconds": 5}
    ).json()
    assert wait_done(api, veo2["id"])["status"] == "completed"
    old = api.post(
        "/v1/videos/extensions", json={"prompt": "refused", "seconds": 7, "video": {"id": veo2["id"]}}
    )
    assert old.status_code == 400 and old.json()["error"]["code"] == "unsupported_operation"
    assert not [c for c in creates(stack) if b'"refused"' in c.body]
