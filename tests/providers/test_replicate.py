"""Replicate through a real gateway process, against a fake of its predictions API
(tests/fakes/hosted_platforms.py, which follows Replicate's HTTP API reference and the official
`replicate` SDK; the SDK itself is the oracle in tests/sdk_oracles/test_replicate_oracle.py).

Replicate is open-ended (`open_models: true`): any `owner/name[:version]` passes through with only
the inputs the caller set, so the values refused here are the ones no Replicate model takes through
this gateway (a source video, an audio switch, a model name that is not one).
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.fakes.harness import Fault, png_bytes, sample_media
from tests.fakes.hosted_platforms import REPLICATE_VERSIONS, ReplicateFake
from tests.providers.gateway import GATEWAY_KEY, Stack, provider_stack, wait_done
from tests.support.media import image

PNG_DATA_URL = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()
VERSION = next(iter(REPLICATE_VERSIONS))
CREATE = r"^/v1/(models/[^/]+/[^/]+/)?predictions$"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with provider_stack(tmp_path_factory, ReplicateFake.provider_fake()) as stack:
        yield stack


@pytest.fixture
def api(stack: Stack) -> Iterator[httpx.Client]:
    with stack.api() as client:
        yield client


@pytest.fixture
def fake(stack: Stack) -> Iterator[ReplicateFake]:
    state: ReplicateFake = stack.fakes["replicate"].state
    yield state
    state.polls_to_complete = 3


def creates_sent(stack: Stack) -> int:
    return stack.servers["replicate"].app.count("POST", CREATE)


def test_a_prediction_is_created_polled_and_downloaded_without_the_token(api, stack, fake) -> None:
    r = api.post(
        "/v1/videos",
        json={
            "model": "replicate/google/veo-3",
            "prompt": "a lighthouse",
            "seconds": 8,
            "size": "1280x720",
            "seed": 9,
            "negative_prompt": "fog",
        },
    )
    assert r.status_code == 200, r.text
    job = r.json()
    assert job["status"] == "queued" and job["id"].endswith(":replicate")
    sent = stack.calls("replicate", "POST")[-1]
    assert sent.path == "/v1/models/google/veo-3/predictions"
    assert sent.headers["authorization"] == f"Bearer {fake.token}"
    assert sent.headers["content-type"] == "application/json" and "prefer" not in sent.headers
    assert json.loads(sent.body) == {
        "input": {
            "prompt": "a lighthouse",
            "duration": 8,
            "aspect_ratio": "16:9",
            "seed": 9,
            "negative_prompt": "fog",
        }
    }
    assert fake.latest()["model"] == "google/veo-3"
    done = wait_done(api, job["id"])
    assert done["status"] == "completed", done
    assert api.get(f"/v1/videos/{job['id']}/content").content == sample_media()["video"]
    assert "authorization" not in fake.file_requests[-1]  # the delivery URL never sees the token
    thumb = api.get(f"/v1/videos/{job['id']}/content", params={"variant": "thumbnail"})
    sheet = api.get(f"/v1/videos/{job['id']}/content", params={"variant": "spritesheet"})
    assert image(thumb.content).format == "WEBP" and image(sheet.content).format == "JPEG"  # derived
    pid = max(fake.predictions)
    polls = [c for c in stack.calls("replicate", "GET") if c.path == f"/v1/predictions/{pid}"]
    assert len(polls) == fake.polls_to_complete  # starting -> processing -> succeeded, once each
    assert {c.headers["authorization"] for c in polls} == {f"Bearer {fake.token}"}


def test_status_goes_from_queued_to_in_progress_while_the_prediction_runs(api, fake) -> None:
    fake.polls_to_complete = 10_000
    job = api.post("/v1/videos", json={"model": "replicate/minimax/video-01", "prompt": "slow"}).json()
    assert job["status"] == "queued"
    seen = []
    deadline = time.monotonic() + 10
    while (status := api.get(f"/v1/videos/{job['id']}").json()["status"]) != "in_progress":
        seen.append(status)
        assert time.monotonic() < deadline, seen
        time.sleep(0.05)
    assert set(seen) <= {"queued"}
    assert api.delete(f"/v1/videos/{job['id']}").json()["deleted"] is True


def test_only_what_the_caller_set_is_sent(api, fake) -> None:
    r = api.post("/v1/videos", json={"model": "replicate/minimax/video-01", "prompt": "just a prompt"})
    assert r.status_code == 200, r.text
    assert fake.latest()["body"] == {"input": {"prompt": "just a prompt"}}  # nothing invented


def test_an_image_goes_as_a_data_url_under_image(api, fake) -> None:
    r = api.post(
        "/v1/videos",
        json={"model": "replicate/kwaivgi/kling-v2.1", "prompt": "wake up", "input_reference": PNG_DATA_URL},
    )
    assert r.status_code == 200, r.text
    assert fake.latest()["input"] == {"prompt": "wake up", "image": PNG_DATA_URL}
    assert wait_done(api, r.json()["id"])["status"] == "completed"


def test_a_versioned_model_runs_that_version_through_v1_predictions(api, stack, fake) -> None:
    r = api.post(
        "/v1/videos",
        json={"model": f"replicate/acme/clip-maker:{VERSION}", "prompt": "pinned", "seconds": 4},
    )
    assert r.status_code == 200, r.text
    sent = stack.calls("replicate", "POST")[-1]
    assert sent.path == "/v1/predictions"
    assert json.loads(sent.body) == {"version": VERSION, "input": {"prompt": "pinned", "duration": 4}}
    assert fake.latest()["version"] == VERSION
    done = wait_done(api, r.json()["id"])
    assert done["status"] == "completed", done
    assert done["model"] == f"replicate/acme/clip-maker:{VERSION}"


def test_an_unknown_version_comes_back_with_replicates_title_and_detail(api, stack) -> None:
    before = len(stack.calls("replicate", "POST"))
    r = api.post("/v1/videos", json={"model": "replicate/acme/clip-maker:0123abcd", "prompt": "x"})
    assert r.status_code == 400, r.text
    assert r.json()["error"]["message"] == (
        "replicate: Invalid version or not permitted: The specified version does not exist "
        "(or perhaps you don't have permission to use it?)"
    )
    assert r.json()["extra_fields"]["provider"] == "replicate"
    assert len(stack.calls("replicate", "POST")) == before + 1  # sent once, refused by Replicate


@pytest.mark.parametrize(
    ("fields", "param", "says"),
    [
        ({"video_uri": "https://example.com/a.mp4"}, "video_uri", "replicate does not take video_uri"),
        ({"audio": True}, "audio", "replicate does not take audio"),
        (
            {"model": "replicate/veo-3"},
            "model",
            "replicate/<owner>/<name> or replicate/<owner>/<name>:<version>",
        ),
        ({"model": "replicate/google/veo/3"}, "model", "is not a replicate model name"),
        ({"model": "replicate/google/veo-3:"}, "model", "is not a replicate model name"),
        ({"model": "replicate/../files"}, "model", "is not a replicate model name"),
    ],
)
def test_what_no_replicate_model_takes_is_refused_before_anything_is_sent(
    api, stack, fields, param, says
) -> None:
    before = creates_sent(stack)
    r = api.post("/v1/videos", json={"model": "replicate/google/veo-3", "prompt": "x", **fields})
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert error["param"] == param and says in error["message"], error
    assert creates_sent(stack) == before


def test_a_failed_prediction_carries_replicates_error(api) -> None:
    job = api.post("/v1/videos", json={"model": "replicate/google/veo-3", "prompt": "FAIL this"}).json()
    done = wait_done(api, job["id"])
    assert done["status"] == "failed"
    assert done["error"] == {
        "code": "provider_failed",
        "message": "E005: the input or output was flagged as sensitive",
    }
    assert api.get(f"/v1/videos/{job['id']}/content").status_code == 404


def test_an_aborted_prediction_fails_the_job_instead_of_being_polled_forever(api, stack, fake) -> None:
    job = api.post("/v1/videos", json={"model": "replicate/google/veo-3", "prompt": "ABORT: too late"}).json()
    done = wait_done(api, job["id"], timeout=10)
    assert done["status"] == "failed"
    assert done["error"]["code"] == "aborted"
    assert "deadline passed before it started" in done["error"]["message"]
    pid = max(fake.predictions)
    assert fake.predictions[pid]["status"] == "aborted"
    polls = [c for c in stack.calls("replicate", "GET") if c.path == f"/v1/predictions/{pid}"]
    assert len(polls) == fake.polls_to_complete  # not one poll after it was aborted


def test_replicates_problem_details_reach_the_caller(api, stack, fake) -> None:
    server = stack.servers["replicate"].app
    server.inject(
        Fault(
            "status",
            402,
            body={
                "title": "Insufficient credit",
                "detail": "You have insufficient credit to run this model. Go to billing to top up.",
                "status": 402,
            },
            method="POST",
            path=CREATE,
        )
    )
    r = api.post("/v1/videos", json={"model": "replicate/google/veo-3", "prompt": "broke"})
    assert r.status_code >= 400, r.text
    assert r.json()["error"]["message"] == (
        "replicate: Insufficient credit: "
        "You have insufficient credit to run this model. Go to billing to top up."
    )
    # a refused token: the operator must fix it
    server.inject(
        Fault(
            "status",
            401,
            body={
                "title": "Unauthenticated",
                "detail": "You did not pass a valid authentication token",
                "status": 401,
            },
            method="POST",
            path=CREATE,
        )
    )
    r = api.post("/v1/videos", json={"model": "replicate/google/veo-3", "prompt": "bad token"})
    assert r.status_code >= 500
    assert "Unauthenticated: You did not pass a valid authentication token" in r.json()["error"]["message"]


def test_a_429_is_retried_and_creates_one_prediction(api, stack, fake) -> None:
    stack.servers["replicate"].app.inject(
        Fault(
            "status",
            429,
            headers={"retry-after": "0"},
            body={
                "title": "Request was throttled",
                "detail": "Expected available in 1 second.",
                "status": 429,
            },
            method="POST",
            path=CREATE,
        )
    )
    stack.servers["replicate"].app.inject(
        Fault(
            "status",
            429,
            body={"title": "Request was throttled", "status": 429},
            method="GET",
            path="/v1/predictions/",
        )
    )
    created, posts = len(fake.predictions), creates_sent(stack)
    r = api.post("/v1/videos", json={"model": "replicate/google/veo-3", "prompt": "retry me"})
    assert r.status_code == 200, r.text
    assert (len(fake.predictions), creates_sent(stack)) == (created + 1, posts + 2)
    assert wait_done(api, r.json()["id"])["status"] == "completed"


def test_a_429_that_persists_is_a_429_with_replicates_words_and_nothing_created(api, stack, fake) -> None:
    stack.servers["replicate"].app.inject(
        Fault(
            "status",
            429,
            body={
                "title": "Request was throttled",
                "detail": "Expected available in 30 seconds.",
                "status": 429,
            },
            path=CREATE,
            times=10,
        )
    )
    created = len(fake.predictions)
    try:
        r = api.post("/v1/videos", json={"model": "replicate/google/veo-3", "prompt": "still throttled"})
    finally:
        stack.servers["replicate"].app.faults.clear()
    assert r.status_code == 429, r.text
    assert (
        r.json()["error"]["message"] == "replicate: Request was throttled: Expected available in 30 seconds."
    )
    assert len(fake.predictions) == created


def test_delete_while_running_cancels_the_prediction(api, stack, fake) -> None:
    fake.polls_to_complete = 10_000
    job = api.post("/v1/videos", json={"model": "replicate/google/veo-3", "prompt": "long"}).json()
    pid = max(fake.predictions)
    assert api.delete(f"/v1/videos/{job['id']}").json()["deleted"] is True
    assert pid in fake.cancelled and fake.predictions[pid]["status"] == "canceled"
    cancel = stack.calls("replicate", "POST")[-1]
    assert cancel.path == f"/v1/predictions/{pid}/cancel" and cancel.body == b""
    assert cancel.headers["authorization"] == f"Bearer {fake.token}"
    assert api.get(f"/v1/videos/{job['id']}").status_code == 404


def test_delete_of_a_finished_or_forgotten_prediction_still_deletes_ours(api, fake) -> None:
    finished = api.post("/v1/videos", json={"model": "replicate/google/veo-3", "prompt": "done"}).json()
    assert wait_done(api, finished["id"])["status"] == "completed"
    pid = max(fake.predictions)
    assert api.delete(f"/v1/videos/{finished['id']}").json()["deleted"] is True
    assert fake.predictions[pid]["status"] == "succeeded"  # answered with itself, unchanged

    forgotten = api.post("/v1/videos", json={"model": "replicate/google/veo-3", "prompt": "gone"}).json()
    assert wait_done(api, forgotten["id"])["status"] == "completed"
    del fake.predictions[max(fake.predictions)]  # removed on Replicate's side: the cancel is a 404
    r = api.delete(f"/v1/videos/{forgotten['id']}")
    assert r.status_code == 200 and r.json()["deleted"] is True, r.text
    assert api.get(f"/v1/videos/{forgotten['id']}").status_code == 404


def test_a_job_through_the_openai_sdk_completes(stack, fake) -> None:
    import openai

    sdk = openai.OpenAI(base_url=f"{stack.gateway.url}/openai/v1", api_key=GATEWAY_KEY, max_retries=0)
    video = sdk.videos.create(
        model="replicate/google/veo-3", prompt="via openai", seconds="8", size="720x1280"
    )
    assert fake.latest()["body"] == {"input": {"prompt": "via openai", "duration": 8, "aspect_ratio": "9:16"}}
    done = sdk.videos.poll(video.id, poll_interval_ms=100)
    assert done.status == "completed", done.error
    assert sdk.videos.download_content(video.id).read() == sample_media()["video"]


def test_a_job_through_the_generated_client_completes(stack, fake) -> None:
    from vidgate_client import AuthenticatedClient
    from vidgate_client.api.videos import video_download, video_generation, video_retrieve
    from vidgate_client.models import VideoGenerationRequest, VideoGenerationResponse, VideoStatus

    with AuthenticatedClient(base_url=stack.gateway.url, token=GATEWAY_KEY, timeout=30) as client:
        body = VideoGenerationRequest.from_dict(
            {"model": f"replicate/acme/clip-maker:{VERSION}", "prompt": "via the client", "size": "1920x1080"}
        )
        job = video_generation.sync(client=client, body=body)
        assert isinstance(job, VideoGenerationResponse), job
        assert job.extra_fields.provider.value == "replicate"
        deadline = time.monotonic() + 20
        while (current := video_retrieve.sync(job.id, client=client)).status not in (
            VideoStatus.COMPLETED,
            VideoStatus.FAILED,
        ):
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert current.status == VideoStatus.COMPLETED
        assert video_download.sync_detailed(job.id, client=client).content == sample_media()["video"]
    assert fake.latest()["body"] == {
        "version": VERSION,
        "input": {"prompt": "via the client", "aspect_ratio": "16:9"},
    }
