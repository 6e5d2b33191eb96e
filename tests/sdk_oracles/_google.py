"""What the Google oracles (gemini, vertex) share: the adapter run in-process against a fake, and the
recorded requests put side by side with the SDK's."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any, TypeVar

from tests.fakes.harness import Call, FakeServer
from tests.support.job_context import StagingContext
from vidgate.catalog import Catalog
from vidgate.config import ProviderSettings
from vidgate.domain import ImageInput, JobRecord, JobStatus
from vidgate.providers.base import (
    GenerationRequest,
    Outcome,
    Pending,
    PreparedJob,
    RemoteProvider,
    SourceVideo,
)

T = TypeVar("T")
TRANSPORT = {"host", "content-length", "accept-encoding", "connection"}  # httpx's own, not the API's


def adapter(cls: type[RemoteProvider], server: FakeServer, **settings: Any) -> RemoteProvider:
    provider = cls(
        ProviderSettings(
            base_url=server.url, poll_interval_seconds=0.01, max_retry_wait_seconds=0.01, **settings
        )
    )
    provider.catalog = Catalog.load().entry(provider.name)
    return provider


def run(
    provider: RemoteProvider,
    request: GenerationRequest,
    image: ImageInput | None,
    staging: Path,
    operation: SourceVideo | None = None,
) -> tuple[JobRecord, Outcome]:
    """The adapter's whole job, as the gateway runs it: prepare, submit, advance until an outcome.
    With `operation`, an extension of it by `request.seconds` instead of a create."""

    async def go() -> tuple[JobRecord, Outcome]:
        prepared: PreparedJob
        if operation is None:
            prepared = provider.prepare(request)
        else:
            seconds = request.seconds or 0
            prepared = provider.prepare_extend(operation, request.model, request.prompt, seconds)
            prepared = PreparedJob(
                prepared.model, prepared.seconds, prepared.size, {**prepared.params, "operation": "extend"}
            )
        job = JobRecord(
            id="job_oracle",
            tenant="oracle",
            provider=provider.name,
            model=prepared.model,
            status=JobStatus.QUEUED,
            prompt=request.prompt,
            seconds=prepared.seconds,
            size=prepared.size,
            created_at=int(time.time()),
            params=prepared.params,
        )
        if operation is None:
            submitted = await provider.submit(job, None, image)
        else:
            submitted = await provider.submit_operation(job, operation)
        job = JobRecord(
            **{**job.__dict__, "upstream_id": submitted.upstream_id, "status": JobStatus.IN_PROGRESS}
        )
        staging.mkdir(parents=True, exist_ok=True)
        for _ in range(50):
            outcome = await provider.advance(job, StagingContext(staging, threaded=True))
            if not isinstance(outcome, Pending):
                return job, outcome
        raise AssertionError("the adapter never reached an outcome")

    async def closing() -> tuple[JobRecord, Outcome]:
        try:
            return await go()
        finally:
            await provider.aclose()

    return asyncio.run(closing())


def since(server: FakeServer, mark: int) -> list[Call]:
    return list(server.app.calls[mark:])


def headers(call: Call, accepted: set[str]) -> dict[str, str]:
    return {k: v for k, v in call.headers.items() if k not in TRANSPORT and k not in accepted}


def body(call: Call) -> Any:
    return json.loads(call.body) if call.body else None


def same_request(ours: Call, sdks: Call, skip: set[str], *, compare_body: bool = True) -> None:
    """Method, path, query, the headers that matter (all but httpx's transport headers and the
    accepted differences in `skip`) and the JSON body, parsed."""
    assert (ours.method, ours.path, ours.query) == (sdks.method, sdks.path, sdks.query)
    assert headers(ours, skip) == headers(sdks, skip)
    if compare_body:
        assert body(ours) == body(sdks)
