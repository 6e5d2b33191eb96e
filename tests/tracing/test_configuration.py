"""How tracing is turned on and named: settings, the standard OTEL_* variables, the resource."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from vidgate.config import Settings
from vidgate.telemetry import tracing


@pytest.fixture
def exporter() -> Iterator[InMemorySpanExporter]:
    spans = InMemorySpanExporter()
    yield spans
    tracing.shutdown_tracing()


def test_off_by_default_on_by_flag_or_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VIDGATE_TELEMETRY__TRACING", raising=False)
    assert not Settings().telemetry.enabled
    assert Settings(telemetry={"otlp_endpoint": "http://collector:4318"}).telemetry.enabled
    monkeypatch.setenv("VIDGATE_TELEMETRY__TRACING", "true")
    assert Settings().telemetry.enabled
    assert not tracing.enabled()


def test_the_endpoint_is_a_base_url_as_otel_exporter_otlp_endpoint() -> None:
    assert tracing.traces_url("http://collector:4318") == "http://collector:4318/v1/traces"
    assert tracing.traces_url("http://collector:4318/") == "http://collector:4318/v1/traces"
    assert tracing.traces_url("http://c:4318/v1/traces") == "http://c:4318/v1/traces"


@pytest.mark.parametrize(
    ("given", "env", "expected"),
    [(None, None, "vidgate"), (None, "from-env", "from-env"), ("from-settings", "from-env", "from-settings")],
)
def test_the_service_name_and_the_role_on_every_span(
    exporter: InMemorySpanExporter,
    monkeypatch: pytest.MonkeyPatch,
    given: str | None,
    env: str | None,
    expected: str,
) -> None:
    if env is None:
        monkeypatch.delenv("OTEL_SERVICE_NAME", raising=False)
    else:
        monkeypatch.setenv("OTEL_SERVICE_NAME", env)
    tracing.configure_tracing(role="worker", service_name=given, exporter=exporter, batch=False)
    with tracing.span("one"):
        assert tracing.current_ids() is not None
    (span,) = exporter.get_finished_spans()
    assert span.resource.attributes["service.name"] == expected
    assert span.resource.attributes["vidgate.role"] == "worker"
    assert isinstance(span.resource.attributes["process.pid"], int)


def test_a_stored_context_parents_a_span_and_none_leaves_no_trace(exporter: InMemorySpanExporter) -> None:
    assert tracing.carrier() is None and tracing.current_ids() is None
    tracing.configure_tracing(role="all", exporter=exporter, batch=False)
    with tracing.span("create"):
        stored = tracing.carrier()
    assert stored is not None and set(stored) == {"traceparent"}
    with tracing.span("poll", parent=stored):
        pass
    with tracing.span("orphan", parent={}):  # a job from before tracing: a trace of its own
        pass
    create, poll, orphan = exporter.get_finished_spans()
    assert poll.parent.span_id == create.context.span_id
    assert poll.context.trace_id == create.context.trace_id
    assert orphan.parent is None and orphan.context.trace_id != create.context.trace_id
