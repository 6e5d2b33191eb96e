"""Traces within one gateway process (HTTP and the job worker on its thread), exported to the SDK's
in-memory exporter: one trace per job from the create request through the submission, every poll,
the download and the webhook; an incoming traceparent is joined; log lines carry the trace id;
with tracing off nothing is traced and nothing breaks."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import structlog
import uvicorn
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from tests.fakes.harness import FakeServer
from tests.fakes.openai_videos import OpenAIVideosFake
from tests.support.catalog import SORA_STILL_SERVED_CATALOG
from tests.support.server import free_port
from vidgate.config import Settings
from vidgate.http import create_app
from vidgate.telemetry import tracing
from vidgate.telemetry.logging import configure_logging

from .support import KEY, SECRET, H, Receiver, named, one, traceparent_ids, wait_for

UPSTREAM_KEY = "sk-tracing-upstream"


class Gateway:
    """create_app served by uvicorn on a thread of this process, lifespan and all."""

    def __init__(self, settings: Settings) -> None:
        self.port = free_port()
        self.server = uvicorn.Server(
            uvicorn.Config(create_app(settings), host="127.0.0.1", port=self.port, log_level="error")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Gateway:
        self.thread.start()
        wait_for(lambda: self.server.started, 60, "the gateway to start")
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(30)


@pytest.fixture
def upstream() -> Iterator[FakeServer]:
    with FakeServer(OpenAIVideosFake(key=UPSTREAM_KEY, polls_to_complete=3).app()) as server:
        yield server


@pytest.fixture
def receiver() -> Iterator[tuple[Receiver, str]]:
    hooks = Receiver()
    with FakeServer(hooks.app()) as server:
        yield hooks, f"{server.url}/hook"


@pytest.fixture
def exporter() -> Iterator[InMemorySpanExporter]:
    spans = InMemorySpanExporter()
    tracing.configure_tracing(role="all", exporter=spans, batch=False)
    yield spans
    tracing.shutdown_tracing()


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """The gateway's real log pipeline (configure_logging), written here instead of to stderr."""
    configure_logging("info", json=True)
    out = io.StringIO()
    structlog.configure(
        logger_factory=structlog.WriteLoggerFactory(file=out), cache_logger_on_first_use=False
    )
    yield out
    structlog.reset_defaults()


def settings(tmp_path: Path, webhook_url: str, upstream_url: str, *, traced: bool = True) -> Settings:
    return Settings(
        data_dir=tmp_path,
        tenants={"traced": [KEY]},
        webhooks={"traced": {"url": webhook_url, "secret": SECRET}},
        allow_private_urls=True,
        poll_interval_seconds=0.05,
        providers={
            "openai": {
                "api_key": UPSTREAM_KEY,
                "base_url": upstream_url + "/v1",
                "poll_interval_seconds": 0.05,
                "max_retry_wait_seconds": 0.2,
            }
        },
        catalog=SORA_STILL_SERVED_CATALOG,
        telemetry={"tracing": traced},
    )


def create(url: str, body: dict[str, Any], headers: dict[str, str] | None = None) -> dict[str, Any]:
    r = httpx.post(f"{url}/v1/videos", headers={**H, **(headers or {})}, json=body, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()


def wait_completed(url: str, video_id: str) -> None:
    def done() -> bool:
        job = httpx.get(f"{url}/v1/videos/{video_id}", headers=H, timeout=10).json()
        assert job["status"] != "failed", job
        return job["status"] == "completed"

    wait_for(done, 60, f"{video_id} to complete")


def job_trace(exporter: InMemorySpanExporter, video_id: str) -> tuple[Any, list[Any]]:
    """The job's create span, and every span of its trace."""
    spans = exporter.get_finished_spans()
    created = [
        s for s in spans if s.name == "vidgate.job.create" and s.attributes.get("vidgate.job.id") == video_id
    ]
    assert len(created) == 1, [s.name for s in spans]
    trace_id = created[0].context.trace_id
    return created[0], [s for s in spans if s.context.trace_id == trace_id]


def test_one_trace_follows_a_remote_job_from_create_to_webhook(
    tmp_path: Path, upstream, receiver, exporter: InMemorySpanExporter, log_lines: io.StringIO
) -> None:
    fake_server = upstream
    hooks, hook_url = receiver
    with Gateway(settings(tmp_path, hook_url, fake_server.url)) as gateway:
        job = create(gateway.url, {"model": "openai/sora-2", "prompt": "a traced clip", "seconds": 4})
        wait_completed(gateway.url, job["id"])
        wait_for(lambda: hooks.headers, 30, "the webhook")
        wait_for(lambda: named(exporter.get_finished_spans(), "vidgate.webhook.deliver"), 10, "its span")
        content = httpx.get(f"{gateway.url}/v1/videos/{job['id']}/content", headers=H, timeout=30)
        assert content.status_code == 200 and content.content[4:8] == b"ftyp"

    created, spans = job_trace(exporter, job["id"])
    by_id = {s.context.span_id: s for s in spans}

    def parent(s: Any) -> Any:
        return by_id[s.parent.span_id]

    # The request's server span is the root; the job's span its child.
    server = one(spans, "POST /v1/videos")
    assert server.kind is SpanKind.SERVER and server.parent is None
    assert server.attributes["http.response.status_code"] == 200
    assert parent(created) is server
    assert created.attributes["vidgate.provider"] == "openai"
    assert created.attributes["vidgate.model"] == "sora-2"

    # The submission, in the request, with its upstream call.
    submit = one(spans, "vidgate.job.submit")
    assert parent(submit) is created and submit.attributes["vidgate.upstream_id"].startswith("video_fake")
    post = one(spans, "POST")
    assert parent(post) is submit and post.kind is SpanKind.CLIENT
    assert post.attributes["http.response.status_code"] == 200

    # Every poll on the worker is a child of the job's span, each with its upstream GET.
    polls = named(spans, "vidgate.job.poll")
    assert len(polls) >= 3 and all(parent(p) is created for p in polls)
    gets = named(spans, "GET")
    assert len(gets) >= 3 and {parent(g).name for g in gets} == {"vidgate.job.poll"}
    assert polls[-1].attributes["vidgate.job.status"] == "completed"
    assert {p.attributes["vidgate.job.status"] for p in polls[:-1]} <= {"queued", "in_progress"}

    # The download, by the poll that found the job completed; then the webhook, in the job's trace.
    downloads = named(spans, "vidgate.job.download")  # the video, and the stills the provider has
    assert "video.mp4" in {d.attributes["vidgate.download.file"] for d in downloads}
    assert all(parent(d) is polls[-1] and d.attributes["vidgate.download.bytes"] > 0 for d in downloads)
    webhook = one(spans, "vidgate.webhook.deliver")
    assert parent(webhook) is created and webhook.attributes["http.response.status_code"] == 204
    assert all(s.status.status_code is not StatusCode.ERROR for s in spans)

    # Upstream and the webhook receiver were handed the trace: each request its own span's id.
    trace_hex = format(created.context.trace_id, "032x")
    upstream_parents = [traceparent_ids(c.headers["traceparent"]) for c in fake_server.app.calls]
    assert {t for t, _ in upstream_parents} == {trace_hex}
    assert {s for _, s in upstream_parents} >= {format(s.context.span_id, "016x") for s in [post, *gets]}
    assert traceparent_ids(hooks.headers[0]["traceparent"]) == (
        trace_hex,
        format(webhook.context.span_id, "016x"),
    )

    # Log lines carry the trace id: the request's access line, the worker's and the webhook's.
    lines = [json.loads(line) for line in log_lines.getvalue().splitlines()]
    traced = {line["event"] for line in lines if line.get("trace_id") == trace_hex}
    assert {"request", "job_completed", "webhook_attempt"} <= traced, traced
    completed = next(line for line in lines if line["event"] == "job_completed")
    assert completed["span_id"] == format(polls[-1].context.span_id, "016x")


def test_an_incoming_traceparent_is_joined_by_the_request_and_the_render(
    tmp_path: Path, receiver, exporter: InMemorySpanExporter
) -> None:
    hooks, hook_url = receiver
    caller_trace, caller_span = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
    with Gateway(settings(tmp_path, hook_url, "http://127.0.0.1:9")) as gateway:
        job = create(
            gateway.url,
            {"model": "local/testcard", "prompt": "a traced render", "seconds": 1, "size": "64x64"},
            {"traceparent": f"00-{caller_trace}-{caller_span}-01"},
        )
        wait_completed(gateway.url, job["id"])
        wait_for(lambda: named(exporter.get_finished_spans(), "vidgate.webhook.deliver"), 30, "the webhook")

    created, spans = job_trace(exporter, job["id"])
    assert format(created.context.trace_id, "032x") == caller_trace
    server = one(spans, "POST /v1/videos")
    assert server.parent is not None and format(server.parent.span_id, "016x") == caller_span
    assert server.parent.is_remote
    render = one(spans, "vidgate.job.render")
    assert render.parent.span_id == created.context.span_id
    assert render.attributes["vidgate.job.status"] == "completed"
    assert render.attributes["vidgate.provider"] == "local"
    assert one(spans, "vidgate.webhook.deliver").parent.span_id == created.context.span_id
    assert traceparent_ids(hooks.headers[0]["traceparent"])[0] == caller_trace


def test_a_failed_poll_is_an_error_on_its_span(
    tmp_path: Path, upstream, receiver, exporter: InMemorySpanExporter
) -> None:
    fake_server = upstream
    _, hook_url = receiver
    with Gateway(settings(tmp_path, hook_url, fake_server.url)) as gateway:
        job = create(gateway.url, {"model": "openai/sora-2", "prompt": "FAIL this one", "seconds": 4})
        wait_for(
            lambda: httpx.get(f"{gateway.url}/v1/videos/{job['id']}", headers=H).json()["status"] == "failed",
            60,
            "the job to fail",
        )
        wait_for(lambda: named(exporter.get_finished_spans(), "vidgate.webhook.deliver"), 30, "the webhook")
    _, spans = job_trace(exporter, job["id"])
    last = named(spans, "vidgate.job.poll")[-1]
    assert last.status.status_code is StatusCode.ERROR
    assert last.attributes["vidgate.job.status"] == "failed"
    assert "moderation" in last.status.description


def test_tracing_off_traces_nothing_and_sends_no_traceparent(
    tmp_path: Path, upstream, receiver, log_lines: io.StringIO
) -> None:
    """Configured, then shut down: the no-op tracer again. The job still runs end to end."""
    fake_server = upstream
    hooks, hook_url = receiver
    spans = InMemorySpanExporter()
    tracing.configure_tracing(role="all", exporter=spans, batch=False)
    tracing.shutdown_tracing()
    assert not tracing.enabled()
    with Gateway(settings(tmp_path, hook_url, fake_server.url, traced=False)) as gateway:
        job = create(
            gateway.url,
            {"model": "openai/sora-2", "prompt": "an untraced clip", "seconds": 4},
            {"traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
        )
        wait_completed(gateway.url, job["id"])
        wait_for(lambda: hooks.headers, 30, "the webhook")
    assert spans.get_finished_spans() == ()
    assert all("traceparent" not in c.headers for c in fake_server.app.calls)
    assert "traceparent" not in hooks.headers[0]
    lines = [json.loads(line) for line in log_lines.getvalue().splitlines()]
    assert lines and not [line for line in lines if "trace_id" in line]
