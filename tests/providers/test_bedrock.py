"""Amazon Bedrock through the gateway, against a fake of its async invoke API and moto's S3.

The fake checks every request's SigV4 signature with botocore's signer and the fake's copy of the
secret, so every answered call here also proves the gateway's own signer. (The official SDK,
boto3, is the oracle in tests/sdk_oracles/test_bedrock_oracle.py.)
"""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest
from pydantic import SecretStr
from vidgate_client import AuthenticatedClient
from vidgate_client.api.videos import video_download, video_generation, video_retrieve
from vidgate_client.models import VideoGenerationRequest, VideoGenerationResponse, VideoStatus

from tests.fakes.bedrock import BUCKET, PREFIX, REGION, SECRET_KEY, BedrockFake, provider_fake
from tests.fakes.harness import Fault, png_bytes, sample_media
from tests.providers.gateway import GATEWAY_KEY, Stack, provider_stack, wait_done
from tests.support.media import image

RAY = "bedrock/luma.ray-v2:0"
REEL = "bedrock/amazon.nova-reel-v1:0"  # retired on 2026-09-30; re-enabled here as for an account with access
PNG = png_bytes()
PNG_URL = "data:image/png;base64," + base64.b64encode(PNG).decode()
START = "^/async-invoke$"
THROTTLED = {"x-amzn-ErrorType": "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/"}


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    fake = provider_fake(catalog={"bedrock": {"models": {"amazon.nova-reel-v1:0": {"retires_on": None}}}})
    try:
        with provider_stack(tmp_path_factory, fake) as stack:
            yield stack
    finally:
        fake.state.s3.stop()


@pytest.fixture
def api(stack: Stack) -> Iterator[httpx.Client]:
    with stack.api() as client:
        yield client


@pytest.fixture
def fake(stack: Stack) -> Iterator[BedrockFake]:
    state: BedrockFake = stack.fakes["bedrock"].state
    yield state
    state.polls_to_complete, state.report_folder = 2, True


def create(api: httpx.Client, **body) -> dict:
    r = api.post("/v1/videos", json=body)
    assert r.status_code == 200, r.text
    return r.json()


def refused(api: httpx.Client, fake: BedrockFake, **body) -> dict:
    """A 400 for a value the model cannot take, with nothing sent to Bedrock."""
    before = len(fake.starts())
    r = api.post("/v1/videos", json=body)
    assert r.status_code == 400, r.text
    assert len(fake.starts()) == before
    return r.json()["error"]


def test_ray2_create_progress_complete_and_download_from_s3(api: httpx.Client, fake: BedrockFake) -> None:
    fake.polls_to_complete = 4
    job = create(api, model=RAY, prompt="a tiger walking in snow", seconds=9, size="720x1280")
    assert job["id"].endswith(":bedrock") and job["model"] == RAY
    assert (job["seconds"], job["size"]) == (9, "720x1280")
    invocation = fake.latest()
    start = fake.starts()[-1]
    assert start.status == 200 and start.method == "POST"  # answered: the signature checked out
    assert start.headers["content-type"] == "application/json"
    assert f"/{REGION}/bedrock/aws4_request" in start.headers["authorization"]
    assert invocation.request == {
        "clientRequestToken": f"vidgate-{job['id'].split(':')[0]}",  # the job's own idempotency token
        "modelId": "luma.ray-v2:0",
        "modelInput": {
            "prompt": "a tiger walking in snow",
            "aspect_ratio": "9:16",
            "duration": "9s",
            "resolution": "720p",
        },
        "outputDataConfig": {"s3OutputDataConfig": {"s3Uri": f"s3://{BUCKET}/{PREFIX}"}},
    }
    seen = set()
    for _ in range(100):
        current = api.get(f"/v1/videos/{job['id']}").json()
        seen.add(current["status"])
        if current["status"] in ("completed", "failed"):
            break
        time.sleep(0.05)
    assert "in_progress" in seen and current["status"] == "completed", (seen, current)
    arn = invocation.arn
    polls = [s for s in fake.seen if s.operation == "GetAsyncInvoke" and arn.split("/")[-1] in s.raw_path]
    assert len(polls) >= 4 and all(s.status == 200 for s in polls)
    assert polls[0].raw_path == "/async-invoke/" + arn.replace(":", "%3A").replace("/", "%2F")

    assert api.get(f"/v1/videos/{job['id']}/content").content == sample_media()["video"]
    thumb = api.get(f"/v1/videos/{job['id']}/content", params={"variant": "thumbnail"})
    assert thumb.headers["content-type"] == "image/webp" and image(thumb.content).format == "WEBP"
    sheet = api.get(f"/v1/videos/{job['id']}/content", params={"variant": "spritesheet"})
    assert sheet.headers["content-type"] == "image/jpeg"
    get = fake.s3.object_gets()[-1]  # the MP4 from the bucket, signed for S3 (checked by the S3 fake)
    assert get.raw_path == f"/{BUCKET}/{PREFIX}/{arn.split('/')[-1]}/output.mp4" and get.refused is None
    assert f"/{REGION}/s3/aws4_request" in get.headers["authorization"]


def test_ray2_image_to_video_sends_the_first_frame(api: httpx.Client, fake: BedrockFake) -> None:
    job = create(api, model=RAY, prompt="the kite rises", size="960x540", input_reference=PNG_URL)
    assert fake.latest().request["modelInput"] == {
        "prompt": "the kite rises",
        "aspect_ratio": "16:9",
        "duration": "5s",
        "resolution": "540p",
        "keyframes": {
            "frame0": {
                "type": "image",
                "source": {
                    "type": "base64",
                    "media_type": "image/png",
                    "data": base64.b64encode(PNG).decode(),
                },
            }
        },
    }
    assert wait_done(api, job["id"])["status"] == "completed"


def test_nova_reel_request_and_its_retired_sibling(api: httpx.Client, fake: BedrockFake) -> None:
    job = create(api, model=REEL, prompt="a steampunk robot", seed=7, input_reference=PNG_URL)
    assert (job["seconds"], job["size"]) == (6, "1280x720")  # the model's only shot
    assert fake.latest().request["modelInput"] == {
        "taskType": "TEXT_VIDEO",
        "textToVideoParams": {
            "text": "a steampunk robot",
            "images": [{"format": "png", "source": {"bytes": base64.b64encode(PNG).decode()}}],
        },
        "videoGenerationConfig": {"durationSeconds": 6, "fps": 24, "dimension": "1280x720", "seed": 7},
    }
    assert wait_done(api, job["id"])["status"] == "completed"

    error = refused(api, fake, model="bedrock/amazon.nova-reel-v1:1", prompt="x")
    assert error["code"] == "model_retired" and "2026-09-30" in error["message"]
    models = {m["id"]: m for m in api.get("/v1/models").json()["data"] if m["provider"] == "bedrock"}
    assert models["bedrock/amazon.nova-reel-v1:1"]["lifecycle"] == "retired"
    assert models[RAY]["price"]["per_second"] == {"540p": 0.75, "720p": 1.5}


def test_values_a_model_cannot_take_are_refused_before_anything_is_sent(
    api: httpx.Client, fake: BedrockFake
) -> None:
    error = refused(api, fake, model=RAY, prompt="x", seconds=6)
    assert error["param"] == "seconds" and "allowed: 5, 9" in error["message"]
    error = refused(api, fake, model=RAY, prompt="x", size="1920x1080")
    assert error["param"] == "size" and "1280x720, 720x1280, 960x540" in error["message"]
    for field, value in (
        ("seed", 3),
        ("negative_prompt", "blur"),
        ("video_uri", "https://example.com/v.mp4"),
    ):
        error = refused(api, fake, model=RAY, prompt="x", **{field: value})
        assert error["param"] == field and error["code"] == "unsupported_parameter"
    error = refused(api, fake, model=RAY, prompt="x", audio=True)
    assert error["param"] == "audio"
    error = refused(api, fake, model=REEL, prompt="x", seconds=12)
    assert "allowed: 6" in error["message"]
    error = refused(api, fake, model=REEL, prompt="y" * 513)
    assert error["param"] == "prompt" and "512" in error["message"]
    error = refused(api, fake, model="bedrock/amazon.titan-image-generator-v2:0", prompt="x")
    assert error["code"] == "model_not_found" and RAY in error["message"]
    webp = "data:image/webp;base64," + base64.b64encode(b"RIFF\x1a\x00\x00\x00WEBPVP8L" + bytes(14)).decode()
    error = refused(api, fake, model=RAY, prompt="x", input_reference=webp)
    assert "PNG or JPEG" in error["message"]


def test_a_failed_invocation_is_a_failed_job_with_bedrocks_message(api: httpx.Client) -> None:
    job = create(api, model=RAY, prompt="FAIL this one")
    done = wait_done(api, job["id"])
    assert done["status"] == "failed"
    assert done["error"] == {
        "code": "provider_failed",
        "message": "The generated video was blocked by our content filters.",
    }


def test_bedrock_errors_reach_the_caller_with_their_code_and_message(
    api: httpx.Client, stack: Stack, fake: BedrockFake
) -> None:
    app = stack.servers["bedrock"].app
    before = len(fake.invocations)
    app.inject(
        Fault(
            "status",
            400,
            body={
                "__type": "com.amazon.bedrock#ValidationException",
                "message": "Malformed input request: #/x",
            },
            method="POST",
            path=START,
        )
    )
    r = api.post("/v1/videos", json={"model": RAY, "prompt": "x"})
    assert r.status_code == 400 and r.json()["error"]["message"] == (
        "bedrock: ValidationException: Malformed input request: #/x"
    )
    app.inject(
        Fault(
            "status",
            403,
            headers={"x-amzn-ErrorType": "AccessDeniedException:http://internal.amazon.com/coral/x/"},
            body={"message": "You don't have access to the model with the specified model ID."},
            method="POST",
            path=START,
        )
    )
    r = api.post("/v1/videos", json={"model": RAY, "prompt": "x"})
    assert r.status_code == 502, r.text
    message = r.json()["error"]["message"]
    assert "rejected the gateway's credentials" in message and "AccessDeniedException: You don't" in message
    assert "bedrock:InvokeModel" in message
    app.inject(
        Fault(
            "status",
            400,
            body={"__type": "ServiceQuotaExceededException", "message": "Too many concurrent invocations"},
            method="POST",
            path=START,
        )
    )
    r = api.post("/v1/videos", json={"model": RAY, "prompt": "x"})
    assert r.status_code == 429 and r.headers["retry-after"] == "30", r.text
    assert "Too many concurrent invocations" in r.json()["error"]["message"]
    assert len(fake.invocations) == before  # none of them made a job


def test_throttling_is_retried_with_the_same_token(
    api: httpx.Client, stack: Stack, fake: BedrockFake
) -> None:
    app = stack.servers["bedrock"].app
    app.inject(Fault("status", 429, headers=THROTTLED, body={"message": "Too many requests"}, path=START))
    app.inject(Fault("status", 429, headers=THROTTLED, body={"message": "Too many requests"}, method="GET"))
    before = len(fake.invocations)
    job = create(api, model=RAY, prompt="throttled twice")
    starts = [c for c in stack.calls("bedrock", "POST")][-2:]
    assert starts[0].body == starts[1].body  # the retry is the same start, token and all
    assert wait_done(api, job["id"])["status"] == "completed"
    assert len(fake.invocations) == before + 1


def test_a_lost_answer_is_found_by_its_token_and_not_started_twice(
    api: httpx.Client, stack: Stack, fake: BedrockFake
) -> None:
    app = stack.servers["bedrock"].app
    before = len(fake.invocations)
    app.inject(Fault("lost_answer", method="POST", path=START))  # started, but the answer never came
    job = create(api, model=RAY, prompt="answer lost")
    assert wait_done(api, job["id"])["status"] == "completed"
    assert len(fake.invocations) == before + 1
    lists = [s for s in fake.seen if s.operation == "ListAsyncInvokes"]
    assert lists and lists[-1].status == 200 and "sortBy=SubmissionTime" in lists[-1].query

    app.inject(Fault("reset", method="POST", path=START))  # never received: listed nowhere, sent again
    job = create(api, model=RAY, prompt="never arrived")
    assert wait_done(api, job["id"])["status"] == "completed"
    assert len(fake.invocations) == before + 2
    assert fake.latest().token == f"vidgate-{job['id'].split(':')[0]}"


def test_the_video_is_fetched_from_the_reported_folder_or_under_the_prefix(
    api: httpx.Client, fake: BedrockFake
) -> None:
    fake.report_folder = False  # GetAsyncInvoke reporting the prefix the start was given
    job = create(api, model=RAY, prompt="prefix form")
    assert wait_done(api, job["id"])["status"] == "completed"
    invocation_id = fake.latest().arn.rsplit("/", 1)[1]
    assert fake.s3.object_gets()[-1].raw_path == f"/{BUCKET}/{PREFIX}/{invocation_id}/output.mp4"


def test_s3_errors_not_yet_written_is_retried_access_denied_fails(
    api: httpx.Client, fake: BedrockFake
) -> None:
    fake.s3.inject(r"output\.mp4$", 404, "NoSuchKey", "The specified key does not exist.")
    job = create(api, model=RAY, prompt="written late")
    assert wait_done(api, job["id"])["status"] == "completed"

    fake.s3.inject(r"output\.mp4$", 403, "AccessDenied", "Access Denied")
    job = create(api, model=RAY, prompt="not ours to read")
    done = wait_done(api, job["id"])
    assert done["status"] == "failed", done
    assert "S3 AccessDenied: Access Denied" in done["error"]["message"]
    assert "s3:GetObject" in done["error"]["message"]


def test_delete_removes_our_copy_bedrock_has_nothing_to_cancel(
    api: httpx.Client, stack: Stack, fake: BedrockFake
) -> None:
    fake.polls_to_complete = 500
    job = create(api, model=RAY, prompt="deleted while running")
    calls = len(stack.calls("bedrock"))
    assert api.delete(f"/v1/videos/{job['id']}").json()["deleted"] is True
    assert api.get(f"/v1/videos/{job['id']}").status_code == 404
    assert not [c for c in stack.calls("bedrock")[calls:] if c.method not in ("GET",)]


def test_through_the_official_openai_sdk(stack: Stack) -> None:
    sdk = openai.OpenAI(base_url=f"{stack.gateway.url}/openai/v1", api_key=GATEWAY_KEY, max_retries=0)
    video = sdk.videos.create(model=RAY, prompt="a lighthouse at dusk", size="1280x720")
    assert video.id.endswith(":bedrock") and video.model == RAY and video.seconds == "5"
    done = sdk.videos.poll(video.id, poll_interval_ms=100)
    assert done.status == "completed", done
    assert sdk.videos.download_content(video.id).read() == sample_media()["video"]


def test_through_the_generated_client(stack: Stack, fake: BedrockFake) -> None:
    with AuthenticatedClient(base_url=stack.gateway.url, token=GATEWAY_KEY, timeout=30) as client:
        body = VideoGenerationRequest.from_dict(
            {"model": RAY, "prompt": "a red kite", "seconds": 5, "size": "1680x720"}
        )
        job = video_generation.sync(client=client, body=body)
        assert isinstance(job, VideoGenerationResponse), job
        assert fake.latest().request["modelInput"]["aspect_ratio"] == "21:9"
        for _ in range(200):
            done = video_retrieve.sync(job.id, client=client)
            assert isinstance(done, VideoGenerationResponse)
            if done.status in (VideoStatus.COMPLETED, VideoStatus.FAILED):
                break
            time.sleep(0.05)
        assert done.status == VideoStatus.COMPLETED, done.error
        mp4 = video_download.sync_detailed(job.id, client=client)
        assert mp4.status_code == 200 and mp4.content == sample_media()["video"]


# --- the adapter on its own, against the same fakes: what a gateway cannot be made to do ----------


def test_a_wrong_secret_is_refused_the_way_aws_refuses_it(stack: Stack, tmp_path: Path) -> None:
    import asyncio

    from vidgate.config import ProviderSettings
    from vidgate.domain import JobRecord, JobStatus
    from vidgate.providers.bedrock import BedrockVideos
    from vidgate.upstream import UpstreamError

    fake: BedrockFake = stack.fakes["bedrock"].state
    settings = {**stack.fakes["bedrock"].settings(stack.servers["bedrock"].url)}
    good = ProviderSettings(
        access_key_id=settings["ACCESS_KEY_ID"],
        secret_key=SECRET_KEY,
        region=REGION,
        output_uri=settings["OUTPUT_URI"],
        base_url=stack.servers["bedrock"].url,
        storage_base_url=settings["STORAGE_BASE_URL"],
        max_retries=0,
    )
    job = JobRecord(
        id="video_01JD3Z8Q7W6X5V4T3S2R1P0N9M", tenant="t", provider="bedrock", model="luma.ray-v2:0",
        status=JobStatus.QUEUED, prompt="x", seconds=5, size="1280x720", created_at=int(time.time()),
    )  # fmt: skip

    async def start(settings: ProviderSettings) -> UpstreamError:
        provider = BedrockVideos(settings)
        try:
            with pytest.raises(UpstreamError) as err:
                await provider.submit(job)
            return err.value
        finally:
            await provider.aclose()

    bad = asyncio.run(start(good.model_copy(update={"secret_key": SecretStr("not-the-secret")})))
    assert bad.status == 403 and bad.message.startswith("InvalidSignatureException: The request signature")
    assert "secret key" in bad.message
    assert fake.seen[-1].answer["code"] == "InvalidSignatureException"
    scoped = asyncio.run(start(good.model_copy(update={"region": "eu-west-1"})))
    assert scoped.message.startswith(
        "InvalidSignatureException: Credential should be scoped to a valid region"
    )
