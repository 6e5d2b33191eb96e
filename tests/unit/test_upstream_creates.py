"""A create is sent twice only when the first provably never created anything."""

from __future__ import annotations

import httpx
import pytest

from vidgate.config import ProviderSettings
from vidgate.upstream.client import UpstreamClient
from vidgate.upstream.errors import UpstreamError

pytestmark = pytest.mark.anyio


def _client(statuses: list[int], sent: list[httpx.Request]) -> UpstreamClient:
    answers = iter(statuses)

    def handle(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(next(answers), json={"id": "job_1"})

    return UpstreamClient(
        "test",
        ProviderSettings(max_retries=3, max_retry_wait_seconds=0),
        auth_headers={},
        base_url="https://provider.example",
        transport=httpx.MockTransport(handle),
    )


@pytest.mark.parametrize("status", [429, 500, 503, 408])
async def test_a_create_the_provider_refused_is_sent_again(status: int) -> None:
    sent: list[httpx.Request] = []
    client = _client([status, 200], sent)
    try:
        assert await client.create("/jobs", json={}) == {"id": "job_1"}
    finally:
        await client.aclose()
    assert len(sent) == 2


@pytest.mark.parametrize("status", [502, 504])
async def test_a_create_a_proxy_gave_up_on_is_ambiguous_not_resent(status: int) -> None:
    sent: list[httpx.Request] = []
    client = _client([status, 200], sent)
    try:
        with pytest.raises(UpstreamError) as caught:
            await client.create("/jobs", json={})
    finally:
        await client.aclose()
    assert len(sent) == 1  # the proxy may have passed it on: the worker looks the job up instead
    assert caught.value.ambiguous and not caught.value.retryable


@pytest.mark.parametrize("status", [502, 504])
async def test_a_poll_a_proxy_gave_up_on_is_retried(status: int) -> None:
    sent: list[httpx.Request] = []
    client = _client([status, 200], sent)
    try:
        assert await client.json("GET", "/jobs/job_1") == {"id": "job_1"}
    finally:
        await client.aclose()
    assert len(sent) == 2
