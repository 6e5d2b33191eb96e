"""The official `fal-client` (1.0.x) as the oracle for what the `fal` adapter sends.

fal-client has no base URL option: its queue is the module global `QUEUE_URL_FORMAT` (built from
FAL_QUEUE_RUN_HOST at import, https only), patched here at run time to the loopback fake
(tests/fakes/hosted_platforms.py), which both then talk to. They make the same calls for the same
inputs (submit text-to-video with a sub-path, submit with an image URL, status, result, cancel) and
their recorded requests are compared: method, path, query, the headers that matter and the JSON
body. Every status body the fake serves is parsed with the SDK's own status parser, every error
with its error reader.

fal is open-ended (`open_models: true`): the SDK declares no apps, models or per-model values (each
app's inputs are its own schema), so there is no catalog to hold against SDK Literals; the status
words the SDK parses are held against the adapter's instead.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import fal_client
import fal_client.client as fal_module
import httpx
import pytest
from pydantic import SecretStr

from tests.fakes.harness import Call, FakeServer, Fault, png_bytes, sample_media
from tests.fakes.hosted_platforms import FAL_KEY, FalFake
from tests.support.job_context import StagingContext
from vidgate.catalog import Catalog
from vidgate.config import ProviderSettings
from vidgate.domain import ImageInput, JobRecord, JobStatus
from vidgate.providers.base import Completed, Failed, GenerationRequest, Pending, Submitted
from vidgate.providers.hosted import FalQueue
from vidgate.upstream import UpstreamError

KLING = "fal-ai/kling-video/v2.1/master/text-to-video"
IMAGE = "fal-ai/kling-video/v2.1/standard/image-to-video"

# Differences between what the SDK sends and what the adapter sends, each accepted for a reason.
ACCEPTED_DIFFERENCES = {
    "header user-agent": "the SDK sends fal-client/<version> (python); the adapter sends httpx's. fal "
    "requires none.",
    "query logs on status": "the SDK asks status_url?logs=false; the adapter sends no query. Logs are off "
    "unless asked for (?logs=1), so both get the same answer.",
    "URLs on another origin": "the SDK follows status_url/response_url/cancel_url wherever the submit answer "
    "points, sending the key there; the adapter follows them only on the configured queue's origin "
    "(fal's own queue hosts when that is fal's default), fails the job otherwise, and cancels by id "
    "on the configured queue as the SDK's cancel(app, request_id) does.",
    "image upload": "the SDK's upload_* helpers put an image on fal's CDN (through rest.fal.ai) and pass its "
    "URL; the adapter passes the image inline as a data: URL under image_url, which fal apps accept. "
    "Compared here with the SDK given the same data URL.",
    "retries of a submit": "the SDK re-sends a submit after a transport error, a lost answer included "
    "(a duplicate request, and charge), on 408/409/429 and on ingress 502/503/504; the adapter's "
    "upstream client re-sends on 408/429/5xx answers but never after a lost answer.",
    "a 4xx from response_url": "the SDK raises FalClientHTTPError(detail); the adapter fails the job with "
    "fal's detail as the message and the status's error_type as the code.",
}
COMPARED_HEADERS = ("authorization", "content-type", "accept")


@pytest.fixture(scope="module")
def fake() -> FalFake:
    return FalFake(polls_to_complete=3)


@pytest.fixture(scope="module")
def server(fake: FalFake) -> Iterator[FakeServer]:
    with FakeServer(fake.app()) as server:
        yield server


@pytest.fixture(scope="module")
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture(scope="module")
def sdk(server: FakeServer, loop: asyncio.AbstractEventLoop) -> Iterator[fal_client.AsyncClient]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fal_module, "QUEUE_URL_FORMAT", server.url + "/")
        client = fal_client.AsyncClient(key=FAL_KEY)
        yield client
        loop.run_until_complete(close(client))


async def close(client: fal_client.AsyncClient) -> None:
    await (await client._client).aclose()


@pytest.fixture(scope="module")
def adapter(server: FakeServer, loop: asyncio.AbstractEventLoop) -> Iterator[FalQueue]:
    settings = ProviderSettings(
        api_key=SecretStr(FAL_KEY), base_url=server.url, max_retry_wait_seconds=0.05, timeout_seconds=5
    )
    provider = FalQueue(settings)
    provider.catalog = Catalog.load().entry("fal")
    yield provider
    loop.run_until_complete(provider.aclose())


@pytest.fixture
def clean(fake: FalFake) -> Iterator[FalFake]:
    yield fake
    fake.hand_back_base = None


def job_for(adapter: FalQueue, request: GenerationRequest) -> JobRecord:
    prepared = adapter.prepare(request)
    return JobRecord(
        id="job_oracle",
        tenant="t",
        provider="fal",
        model=prepared.model,
        status=JobStatus.QUEUED,
        prompt=request.prompt,
        seconds=prepared.seconds,
        size=prepared.size,
        created_at=int(time.time()),
        params=prepared.params,
    )


def recorded(server: FakeServer, action: Callable[[], Any]) -> tuple[Any, list[Call]]:
    before = len(server.app.calls)
    result = action()
    return result, server.app.calls[before:]


def shape(call: Call, *, query: bool = True) -> dict[str, Any]:
    """What is compared of a request: method, path, query, the headers that matter, the JSON body."""
    return {
        "method": call.method,
        "path": call.path,
        "query": dict(httpx.QueryParams(call.query)) if query else None,
        "headers": {h: call.headers.get(h) for h in COMPARED_HEADERS},
        "json": json.loads(call.body) if call.body else None,
    }


def same_but_id(
    ours: Call, theirs: Call, our_id: str, their_id: str, *, query: bool = True
) -> dict[str, Any]:
    """The same request for two different queue requests: equal once the ids are swapped."""
    mine, other = shape(ours, query=query), shape(theirs, query=query)
    if our_id and their_id:
        mine["path"], other["path"] = (
            mine["path"].replace(our_id, "{id}"),
            other["path"].replace(their_id, "{id}"),
        )
    assert mine == other
    assert ours.headers["authorization"] == f"Key {FAL_KEY}" and theirs.headers["user-agent"].startswith(
        "fal-client/"
    )
    return mine


def run(loop: asyncio.AbstractEventLoop, coro: Any) -> Any:
    return loop.run_until_complete(coro)


def test_submit_status_result_and_cancel_match_the_sdk(sdk, adapter, server, fake, loop, tmp_path) -> None:
    request = GenerationRequest(model=KLING, prompt="a dune", seconds=5, size="720x1280", seed=4)
    arguments = {"prompt": "a dune", "duration": 5, "aspect_ratio": "9:16", "seed": 4}
    job = job_for(adapter, request)
    submitted, ours = recorded(server, lambda: run(loop, adapter.submit(job)))
    handle, theirs = recorded(server, lambda: run(loop, sdk.submit(KLING, arguments=arguments)))
    assert len(ours) == len(theirs) == 1
    sent = same_but_id(ours[0], theirs[0], "", "")
    assert sent["method"] == "POST" and sent["path"] == f"/{KLING}" and sent["json"] == arguments
    assert sent["headers"]["content-type"] == "application/json"
    assert isinstance(submitted, Submitted)
    mine, other = submitted.upstream_id, handle.request_id
    assert submitted.state == {
        k: getattr(handle, k).replace(other, mine) for k in ("status_url", "response_url", "cancel_url")
    }
    job = dataclasses.replace(job, upstream_id=mine, upstream=submitted.state)

    # status: each adapter poll against the SDK's status(), IN_QUEUE -> IN_PROGRESS -> COMPLETED
    ctx = StagingContext(tmp_path)
    statuses = []
    for _ in range(fake.polls_to_complete):
        outcome, ours = recorded(server, lambda: run(loop, adapter.advance(job, ctx)))
        status, theirs = recorded(server, lambda: run(loop, handle.status()))
        statuses.append(type(status).__name__)
        same_but_id(ours[0], theirs[0], mine, other, query=False)
        assert (ours[0].query, theirs[0].query) == ("", "logs=false")  # accepted difference
        assert ours[0].path == f"/fal-ai/kling-video/requests/{mine}/status"  # no sub-path
    assert statuses == ["Queued", "InProgress", "Completed"]
    # the adapter's last poll fetched the result and the video; the SDK's get() fetches the result
    assert isinstance(outcome, Completed) and outcome.files["video"].read_bytes() == sample_media()["video"]
    result_get = ours[1]
    result, theirs = recorded(server, lambda: run(loop, handle.get()))
    same_but_id(result_get, theirs[-1], mine, other)
    assert result_get.path == f"/fal-ai/kling-video/requests/{mine}"
    assert result["video"]["url"].endswith(f"/media/{other}.mp4")
    assert "authorization" not in ours[2].headers and ours[2].path == f"/media/{mine}.mp4"  # the CDN

    # cancel: both PUT the cancel_url; fal answers 400 ALREADY_COMPLETED, which only the adapter takes
    _, ours = recorded(server, lambda: run(loop, adapter.cancel(job)))
    with pytest.raises(fal_client.client.FalClientHTTPError) as finished:
        run(loop, handle.cancel())
    theirs = server.app.calls[-1:]
    assert same_but_id(ours[0], theirs[0], mine, other)["method"] == "PUT"
    assert finished.value.status_code == 400


def test_submit_with_an_image_matches_the_sdk_given_the_same_data_url(sdk, adapter, server, loop) -> None:
    image = ImageInput(png_bytes(), "image/png")
    job = job_for(adapter, GenerationRequest(model=IMAGE, prompt="wake up", negative_prompt="blur"))
    _, ours = recorded(server, lambda: run(loop, adapter.submit(job, None, image)))
    arguments = {"prompt": "wake up", "negative_prompt": "blur", "image_url": image.data_url()}
    _, theirs = recorded(server, lambda: run(loop, sdk.submit(IMAGE, arguments=arguments)))
    assert same_but_id(ours[0], theirs[0], "", "")["json"] == arguments


def test_a_queued_request_is_cancelled_as_the_sdk_cancels_it(sdk, adapter, server, fake, loop) -> None:
    job = job_for(adapter, GenerationRequest(model=KLING, prompt="cancel me"))
    submitted = run(loop, adapter.submit(job))
    job = dataclasses.replace(job, upstream_id=submitted.upstream_id, upstream=submitted.state)
    handle = run(loop, sdk.submit(KLING, arguments={"prompt": "cancel me"}))
    _, ours = recorded(server, lambda: run(loop, adapter.cancel(job)))
    _, theirs = recorded(server, lambda: run(loop, handle.cancel()))
    same_but_id(ours[0], theirs[0], job.upstream_id, handle.request_id)
    assert {job.upstream_id, handle.request_id} <= set(fake.cancelled)


def test_urls_on_another_origin_get_the_key_from_the_sdk_but_not_from_the_adapter(
    sdk, adapter, server, fake, clean, loop, tmp_path
) -> None:
    with FakeServer(fake.app()) as elsewhere:
        fake.hand_back_base = elsewhere.url
        handle = run(loop, sdk.submit(KLING, arguments={"prompt": "follow me"}))
        run(loop, handle.status())
        assert [c.headers["authorization"] for c in elsewhere.app.calls] == [f"Key {FAL_KEY}"]  # the SDK

        job = job_for(adapter, GenerationRequest(model=KLING, prompt="follow me"))
        submitted = run(loop, adapter.submit(job))
        assert submitted.state["status_url"].startswith(elsewhere.url)
        job = dataclasses.replace(job, upstream_id=submitted.upstream_id, upstream=submitted.state)
        outcome, ours = recorded(server, lambda: run(loop, adapter.advance(job, StagingContext(tmp_path))))
        assert isinstance(outcome, Failed) and outcome.code == "untrusted_queue_url" and ours == []
        # cancelled by id on the configured queue, at the URL the SDK's cancel(app, request_id) builds
        _, by_adapter = recorded(server, lambda: run(loop, adapter.cancel(job)))
        _, by_sdk = recorded(server, lambda: run(loop, sdk.cancel(KLING, submitted.upstream_id)))
        assert shape(by_adapter[0]) == shape(by_sdk[0])
        assert by_adapter[0].path == f"/fal-ai/kling-video/requests/{submitted.upstream_id}/cancel"
        assert len(elsewhere.app.calls) == 1  # only the SDK's status call ever went there


def test_a_failed_run_is_failed_with_the_detail_the_sdk_raises(
    sdk, adapter, server, fake, loop, tmp_path
) -> None:
    job = job_for(adapter, GenerationRequest(model=KLING, prompt="FAIL please"))
    submitted = run(loop, adapter.submit(job))
    job = dataclasses.replace(job, upstream_id=submitted.upstream_id, upstream=submitted.state)
    outcomes = [
        run(loop, adapter.advance(job, StagingContext(tmp_path))) for _ in range(fake.polls_to_complete)
    ]
    assert all(isinstance(o, Pending) for o in outcomes[:-1])
    failed = outcomes[-1]
    assert isinstance(failed, Failed) and failed.code == "content_policy_violation"

    handle = run(loop, sdk.submit(KLING, arguments={"prompt": "FAIL please"}))
    with pytest.raises(fal_client.client.FalClientHTTPError) as raised:
        run(loop, handle.get(interval=0.01))
    assert raised.value.status_code == 422 and raised.value.error_type == "content_policy_violation"
    detail = raised.value.message
    assert failed.message == "; ".join(f"{d['loc'][-1]}: {d['msg']}" for d in detail)  # type: ignore[union-attr]


def test_a_429_on_submit_is_resent_by_both_but_a_lost_answer_only_by_the_sdk(
    sdk, adapter, server, fake, loop
) -> None:
    submit = f"^/{KLING}$"
    for who in ("sdk", "adapter"):
        server.app.inject(
            Fault("status", 429, headers={"retry-after": "0"}, body={"detail": "Rate limited"}, path=submit)
        )
        before = len(fake.requests)
        if who == "sdk":
            _, calls = recorded(server, lambda: run(loop, sdk.submit(KLING, arguments={"prompt": "x"})))
        else:
            job = job_for(adapter, GenerationRequest(model=KLING, prompt="x"))
            _, calls = recorded(server, lambda: run(loop, adapter.submit(job)))  # noqa: B023
        assert [c.method for c in calls] == ["POST", "POST"] and len(fake.requests) == before + 1, who

    server.app.inject(Fault("lost_answer", method="POST", path=submit))
    before = len(fake.requests)
    with pytest.raises(UpstreamError) as lost:
        run(loop, adapter.submit(job_for(adapter, GenerationRequest(model=KLING, prompt="lost"))))
    assert lost.value.ambiguous and len(fake.requests) == before + 1  # acted on once, never re-sent
    server.app.inject(Fault("lost_answer", method="POST", path=submit))
    before = len(fake.requests)
    run(loop, sdk.submit(KLING, arguments={"prompt": "lost"}))
    assert len(fake.requests) == before + 2  # the SDK's retry queued a second request


def test_every_body_the_fake_served_parses_with_the_sdks_readers(sdk, fake, loop) -> None:
    """Every answer the fake served in this module, and here every status on its own, through the
    SDK's own status parser (which raises on an unknown word or a missing field), its submit
    reader (request_id and the three URLs) and its error reader."""
    handle = run(loop, sdk.submit(KLING, arguments={"prompt": "every shape"}))
    assert run(loop, handle.get(interval=0.01))["video"]["content_type"] == "video/mp4"
    wrong = fal_client.AsyncClient(key="wrong")
    with pytest.raises(fal_client.client.FalClientHTTPError) as unauthorized:
        run(loop, wrong.submit(KLING, arguments={"prompt": "x"}))
    run(loop, close(wrong))
    assert unauthorized.value.status_code == 401 and unauthorized.value.message == "Unauthorized"

    parsed, kinds = set(), set()
    for kind, body in fake.served:
        kinds.add(kind)
        if kind == "status":
            parsed.add(type(handle._parse_status(body)).__name__)
            assert body["response_url"]
        elif kind == "submit":
            assert {"request_id", "status_url", "response_url", "cancel_url"} <= set(body)
        elif kind == "result":
            assert body["video"]["url"] and body["video"]["content_type"] == "video/mp4"
        elif kind == "cancel":
            assert body["status"] in ("CANCELLATION_REQUESTED", "ALREADY_COMPLETED", "NOT_FOUND", "OK")
        else:
            status = 422 if isinstance(body["detail"], list) else 401
            with pytest.raises(fal_client.client.FalClientHTTPError) as read:
                fal_module._raise_for_status(
                    httpx.Response(status, json=body, request=httpx.Request("GET", "http://fal.test/"))
                )
            assert read.value.message == body["detail"]
    assert parsed == {"Queued", "InProgress", "Completed"}
    assert kinds == {"submit", "status", "result", "cancel", "error"}


def test_the_adapters_status_words_are_the_ones_the_sdk_parses(sdk) -> None:
    handle = fal_client.AsyncRequestHandle("r", "u", "u", "u", client=None)  # type: ignore[arg-type]
    for word in (*FalQueue.STATUS, "COMPLETED"):
        handle._parse_status({"status": word, "queue_position": 0, "logs": None})
    with pytest.raises(ValueError, match="Unknown status"):
        handle._parse_status({"status": "FAILED"})
