"""Traces (OpenTelemetry), off unless configured: one trace follows a job from its create request
through the submission, every poll, the download and the webhook, across processes.

Off (the default) the tracer is the API's no-op one: no SDK is imported, a span costs a function
call, nothing is stored or sent. On, `configure_tracing` installs an SDK tracer provider that
exports OTLP over HTTP (or to the exporter a test hands it). The job's W3C trace context is kept
in its row, so a worker process starts its spans as children of the create's span; outgoing
provider calls and webhooks carry `traceparent`.
"""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Iterator, Mapping, MutableMapping
from typing import TYPE_CHECKING, Any

from opentelemetry import trace
from opentelemetry.trace import Span, SpanKind, Status, StatusCode
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SpanExporter

    from ..domain import JobRecord

__all__ = [
    "Span",
    "SpanKind",
    "carrier",
    "configure_tracing",
    "current_ids",
    "enabled",
    "flush_tracing",
    "inject",
    "job_attributes",
    "mark_error",
    "shutdown_tracing",
    "span",
]

DEFAULT_SERVICE_NAME = "vidgate"
TRACES_PATH = "/v1/traces"
_W3C = TraceContextTextMapPropagator()  # W3C traceparent/tracestate, whatever OTEL_PROPAGATORS says


class _State:
    tracer: trace.Tracer = trace.NoOpTracer()
    provider: TracerProvider | None = None


_state = _State()


def enabled() -> bool:
    return _state.provider is not None


def traces_url(endpoint: str) -> str:
    """An OTLP/HTTP base URL (as OTEL_EXPORTER_OTLP_ENDPOINT) -> its traces URL."""
    endpoint = endpoint.rstrip("/")
    return endpoint if endpoint.endswith(TRACES_PATH) else endpoint + TRACES_PATH


def configure_tracing(
    *,
    role: str,
    service_name: str | None = None,
    endpoint: str | None = None,
    exporter: SpanExporter | None = None,
    batch: bool = True,
) -> None:
    """Install the SDK's tracer provider for this process (again after a fork or spawn).

    The service name is `service_name`, else OTEL_SERVICE_NAME, else "vidgate"; the resource also
    says the process's role, pid and host. Spans go to `exporter` if given, else OTLP/HTTP at
    `endpoint` (a base URL; /v1/traces is added), else where OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT
    says, else the collector's default (localhost:4318)."""
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor

    shutdown_tracing()
    attributes: dict[str, Any] = {
        "vidgate.role": role,
        "process.pid": os.getpid(),
        "host.name": socket.gethostname(),
        "service.instance.id": f"{socket.gethostname()}-{os.getpid()}",
    }
    if service_name or not os.environ.get("OTEL_SERVICE_NAME"):
        attributes["service.name"] = service_name or DEFAULT_SERVICE_NAME
    provider = TracerProvider(resource=Resource.create(attributes), shutdown_on_exit=True)
    if exporter is None:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporter = OTLPSpanExporter(endpoint=traces_url(endpoint) if endpoint else None)
    provider.add_span_processor(BatchSpanProcessor(exporter) if batch else SimpleSpanProcessor(exporter))
    _state.provider, _state.tracer = provider, provider.get_tracer("vidgate")


def flush_tracing(timeout_s: float = 5.0) -> None:
    """Export what is buffered (a process about to stop, whose exit handlers may not run)."""
    if _state.provider is not None:
        _state.provider.force_flush(int(timeout_s * 1000))


def shutdown_tracing() -> None:
    """Flush and stop exporting; tracing is off again."""
    provider, _state.provider, _state.tracer = _state.provider, None, trace.NoOpTracer()
    if provider is not None:
        provider.shutdown()


@contextlib.contextmanager
def span(
    name: str,
    *,
    parent: Mapping[str, str] | None = None,
    kind: SpanKind = SpanKind.INTERNAL,
    attributes: Mapping[str, Any] | None = None,
) -> Iterator[Span]:
    """A span, current inside the block. Its parent is the W3C context in `parent` (a stored or
    incoming carrier; an empty one starts a new trace), else the current span. Exceptions
    leaving the block are recorded on it."""
    if _state.provider is None:  # off: no context to parse or attach
        yield trace.INVALID_SPAN
        return
    context = _W3C.extract(parent) if parent is not None else None
    with _state.tracer.start_as_current_span(name, context=context, kind=kind, attributes=attributes) as s:
        yield s


def carrier() -> dict[str, str] | None:
    """The current span's W3C context (`traceparent`, `tracestate`) to store; None when untraced."""
    if _state.provider is None:
        return None
    headers: dict[str, str] = {}
    _W3C.inject(headers)
    return headers or None


def inject(headers: MutableMapping[str, str]) -> None:
    """Add `traceparent` (and `tracestate`) of the current span to outgoing headers, if traced."""
    if _state.provider is not None:
        _W3C.inject(headers)


def current_ids() -> tuple[str, str] | None:
    """(trace id, span id) of the current span as hex, or None outside a recorded span."""
    ctx = trace.get_current_span().get_span_context()
    if not ctx.is_valid:
        return None
    return format(ctx.trace_id, "032x"), format(ctx.span_id, "016x")


def mark_error(s: Span, error: BaseException | str) -> None:
    """The span's operation failed (an error handled, not raised through the span)."""
    if not s.is_recording():
        return
    if isinstance(error, BaseException):
        s.record_exception(error)
        error = f"{type(error).__name__}: {error}"
    s.set_status(Status(StatusCode.ERROR, error[:300]))


def job_attributes(job: JobRecord) -> dict[str, Any]:
    """A job's span attributes (none when tracing is off: a create builds nothing it throws away)."""
    if _state.provider is None:
        return {}
    return {
        "vidgate.job.id": job.public_id,
        "vidgate.provider": job.provider,
        "vidgate.model": job.model,
        "vidgate.job.status": job.status.value,
        "vidgate.job.attempt": job.attempts,
    }
