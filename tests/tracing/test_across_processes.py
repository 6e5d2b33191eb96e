"""One trace across processes: an API process (`--role api`) and a worker process (`--role
worker`) on one PostgreSQL, both exporting OTLP over HTTP to a loopback collector here. The
create's spans come from the API process, the polls, download and webhook from the worker, all in
the trace the create began (its context travels in the job's row); each process's log lines carry
that trace id."""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.fakes.harness import FakeServer
from tests.fakes.openai_videos import OpenAIVideosFake
from tests.support.catalog import SORA_STILL_SERVED
from tests.support.databases import postgres_database
from tests.support.server import ServerProcess

from .support import KEY, SECRET, H, Receiver, traceparent_ids, wait_for

UPSTREAM_KEY = "sk-tracing-across"


@dataclass(frozen=True)
class ExportedSpan:
    name: str
    trace_id: str
    span_id: str
    parent_span_id: str
    attributes: dict[str, Any]
    resource: dict[str, Any]


def _value(any_value: Any) -> Any:
    kind = any_value.WhichOneof("value")
    return getattr(any_value, kind) if kind else None


class Collector:
    """An OTLP/HTTP receiver: /v1/traces, protobuf ExportTraceServiceRequest bodies."""

    def __init__(self) -> None:
        self.spans: list[ExportedSpan] = []
        self.lock = threading.Lock()

    async def traces(self, request: Request) -> Response:
        body = await request.body()
        if request.headers.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        assert request.headers["content-type"] == "application/x-protobuf"
        export = ExportTraceServiceRequest.FromString(body)
        for resource_spans in export.resource_spans:
            resource = {a.key: _value(a.value) for a in resource_spans.resource.attributes}
            for scope_spans in resource_spans.scope_spans:
                for s in scope_spans.spans:
                    with self.lock:
                        self.spans.append(
                            ExportedSpan(
                                s.name,
                                s.trace_id.hex(),
                                s.span_id.hex(),
                                s.parent_span_id.hex(),
                                {a.key: _value(a.value) for a in s.attributes},
                                resource,
                            )
                        )
        return Response(b"", media_type="application/x-protobuf")

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/v1/traces", self.traces, methods=["POST"])])

    def of_trace(self, trace_id: str) -> list[ExportedSpan]:
        with self.lock:
            return [s for s in self.spans if s.trace_id == trace_id]


@pytest.fixture
def pg_url() -> Iterator[str]:
    with postgres_database() as url:
        yield url


@pytest.mark.slow
def test_the_create_on_the_api_and_the_polls_on_the_worker_share_one_trace(
    tmp_path: Path, pg_url: str
) -> None:
    collector, hooks = Collector(), Receiver()
    fake = OpenAIVideosFake(key=UPSTREAM_KEY, polls_to_complete=3)
    config = tmp_path / "vidgate.yaml"
    with (
        FakeServer(collector.app()) as otlp,
        FakeServer(fake.app()) as upstream,
        FakeServer(hooks.app()) as hook_server,
    ):
        config.write_text(
            f"tenants:\n  traced: [{KEY}]\n"
            f"webhooks:\n  traced:\n    url: {hook_server.url}/hook\n    secret: {SECRET}\n"
        )
        env = {
            "VIDGATE_CONFIG": str(config),
            "VIDGATE_DATABASE_URL": pg_url,
            "VIDGATE_ALLOW_PRIVATE_URLS": "true",
            "VIDGATE_PROVIDERS__OPENAI__API_KEY": UPSTREAM_KEY,
            "VIDGATE_PROVIDERS__OPENAI__BASE_URL": upstream.url + "/v1",
            "VIDGATE_PROVIDERS__OPENAI__POLL_INTERVAL_SECONDS": "0.1",
            **SORA_STILL_SERVED,
            # Tracing on, and the standard OpenTelemetry variables for where and as whom.
            "VIDGATE_TELEMETRY__TRACING": "true",
            "OTEL_EXPORTER_OTLP_ENDPOINT": otlp.url,
            "OTEL_SERVICE_NAME": "vidgate-under-test",
            "OTEL_BSP_SCHEDULE_DELAY": "100",
        }
        api = ServerProcess(tmp_path, env, args=("--role", "api", "--workers", "1"))
        worker = ServerProcess(tmp_path, env, args=("--role", "worker", "--workers", "1"))
        try:
            api.start(timeout=60)
            worker.start(timeout=60)
            r = httpx.post(
                f"{api.url}/v1/videos",
                headers=H,
                json={"model": "openai/sora-2", "prompt": "traced across processes", "seconds": 4},
                timeout=30,
            )
            assert r.status_code == 200, r.text
            video_id = r.json()["id"]
            wait_for(lambda: hooks.headers, 60, "the webhook")
            trace_id = traceparent_ids(hooks.headers[0]["traceparent"])[0]
            names = lambda: {s.name for s in collector.of_trace(trace_id)}  # noqa: E731
            wanted = {
                "POST /v1/videos",
                "vidgate.job.create",
                "vidgate.job.submit",
                "vidgate.job.poll",
                "vidgate.job.download",
                "vidgate.webhook.deliver",
            }
            wait_for(lambda: wanted <= names(), 30, f"the spans of {trace_id}: {wanted}")
        finally:
            api.stop()
            worker.stop()

    spans = collector.of_trace(trace_id)
    roles = {s.name: s.resource["vidgate.role"] for s in spans}
    assert {roles[n] for n in ("POST /v1/videos", "vidgate.job.create", "vidgate.job.submit")} == {"api"}
    assert {roles[n] for n in ("vidgate.job.poll", "vidgate.job.download", "vidgate.webhook.deliver")} == {
        "worker"
    }
    assert {s.resource["service.name"] for s in spans} == {"vidgate-under-test"}
    pids = {s.resource["vidgate.role"]: s.resource["process.pid"] for s in spans}
    assert pids["api"] != pids["worker"]

    create = next(s for s in spans if s.name == "vidgate.job.create")
    assert create.attributes["vidgate.job.id"] == video_id
    polls = [s for s in spans if s.name == "vidgate.job.poll"]
    assert len(polls) >= 3 and {p.parent_span_id for p in polls} == {create.span_id}
    assert {p.attributes["vidgate.job.id"] for p in polls} == {video_id}
    poll_ids = {p.span_id for p in polls}
    assert all(s.parent_span_id in poll_ids for s in spans if s.name == "vidgate.job.download")
    assert next(s for s in spans if s.name == "vidgate.webhook.deliver").parent_span_id == create.span_id

    # Each process's log lines for the job carry its trace id.
    api_lines = api.events()
    worker_lines = worker.events()
    assert any(
        line["event"] == "request" and line.get("trace_id") == trace_id and line["route"] == "/v1/videos"
        for line in api_lines
    )
    assert {"job_completed", "webhook_attempt"} <= {
        line["event"] for line in worker_lines if line.get("trace_id") == trace_id
    }
