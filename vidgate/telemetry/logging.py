"""Structured logs (structlog): JSON lines by default, one event per line."""

from __future__ import annotations

import json as stdlib_json
import logging
import sys
from typing import Any

import orjson
import structlog
from structlog.typing import EventDict, WrappedLogger

from .tracing import current_ids


def add_trace_ids(_logger: WrappedLogger, _method: str, event: EventDict) -> EventDict:
    """While a span is current (a request, a job's step): its trace and span ids on the line."""
    ids = current_ids()
    if ids is not None:
        event.setdefault("trace_id", ids[0])
        event.setdefault("span_id", ids[1])
    return event


def json_line(event: Any, **kw: Any) -> str:
    """A log event as JSON through orjson: a lookup's access line cost about a fifth of the
    lookup, and lookups/s rose 13% with orjson in place of the standard library's encoder (8
    rounds side by side, bench/history/2026-11-30-access-log.md). What orjson refuses (an
    integer past 64 bits) goes through the standard library, so that a log call never fails a
    request."""
    try:
        return orjson.dumps(event, option=orjson.OPT_NON_STR_KEYS, **kw).decode()
    except orjson.JSONEncodeError:
        return stdlib_json.dumps(event, **kw)


def configure_logging(level: str = "info", json: bool = True) -> None:
    numeric = logging.getLevelNamesMapping().get(level.upper(), logging.INFO)
    renderer = (
        structlog.processors.JSONRenderer(serializer=json_line) if json else structlog.dev.ConsoleRenderer()
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            add_trace_ids,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        # One write per line, its newline included: print() writes the newline apart, and lines of
        # processes sharing stderr (those of `--workers N`, a container's log) ran into each other.
        logger_factory=structlog.WriteLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True,
    )
    # Libraries that use stdlib logging (uvicorn, connexion, alembic) go to stderr as plain lines;
    # connexion's own per-request warnings duplicate our BifrostError handling, so keep it quiet.
    logging.basicConfig(level=numeric, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("connexion").setLevel(logging.ERROR)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per upstream call, URL and all
