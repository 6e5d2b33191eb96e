"""create_app(settings): Connexion serves spec/openapi.yaml behind small middlewares; every error
leaves as a BifrostError. The gateway itself is built in the lifespan (it needs the event loop)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import structlog
from connexion import AsyncApp
from connexion.exceptions import ProblemException
from connexion.options import SwaggerUIOptions
from connexion.resolver import Resolver
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.staticfiles import StaticFiles

from ..config import Settings
from ..domain import GatewayError
from ..gateway import Gateway, ProcessPlan, open_gateway
from ..telemetry.metrics import Metrics
from ..telemetry.tracing import flush_tracing
from . import connexion_tuning, errors, spec_files
from .middleware import Admission, BodyLimits, RequestContext, Studio, Tracing
from .routes import route_of
from .shortcut import Shortcut, compile_routes

STUDIO_DIR = Path(__file__).resolve().parent / "studio"
log = structlog.get_logger("vidgate.http")


def handler_name(operation: dict[str, Any]) -> str:
    """operationId `videoRetrieve` with tag `Videos` → `handlers.videos.video_retrieve`."""
    module = operation.get("tags", ["default"])[0].lower()
    function = re.sub(r"(?<!^)(?=[A-Z])", "_", operation["operationId"]).lower()
    return f"handlers.{module}.{function}"


class OperationResolver(Resolver):
    def resolve_operation_id(self, operation: Any) -> str:
        return handler_name(operation._operation)


def create_app(
    settings: Settings, *, validate_responses: bool = False, plan: ProcessPlan | None = None
) -> Any:
    """The ASGI app: Connexion inside, the middlewares around it (outermost first). `plan` says
    whether the job worker runs beside it (`--role all`, the default) or elsewhere (`--role api`)."""
    holder: dict[str, Gateway] = {}
    metrics = Metrics()

    @contextlib.asynccontextmanager
    async def lifespan(_app: Any) -> AsyncIterator[None]:
        gateway = holder["gateway"] = await open_gateway(settings, metrics, plan)
        try:
            yield
        finally:
            await gateway.stop()
            log.info("stopped")
            flush_tracing()  # uvicorn may end the process by a signal: no exit handlers run

    if settings.library_tuning:
        connexion_tuning.apply()
    app = AsyncApp(
        __name__,
        specification_dir=spec_files.SPEC_DIR,
        lifespan=lifespan,
        swagger_ui_options=SwaggerUIOptions(swagger_ui_path="/docs", spec_path="/openapi.json"),
    )
    app.add_api(
        "openapi.yaml",
        resolver=OperationResolver(),
        pythonic_params=True,
        strict_validation=True,
        validate_responses=validate_responses,
        validator_map=connexion_tuning.validator_map() if settings.library_tuning else None,
    )
    app.add_error_handler(GatewayError, errors.on_gateway_error)
    app.add_error_handler(ProblemException, errors.on_problem)
    app.add_error_handler(HTTPException, errors.on_http_exception)
    app.add_error_handler(Exception, errors.on_unexpected)

    inner: Any = app
    if settings.shortcuts:
        spec = app.middleware.apis[-1].specification  # as Connexion resolved it
        inner = Shortcut(app, compile_routes(spec, handler_name, validate=validate_responses))
    if settings.cors_origins:  # off unless configured: browsers get no CORS headers at all
        inner = CORSMiddleware(
            inner,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=[
                "Authorization",
                "Content-Type",
                "x-api-key",
                "x-bf-vk",
                "Idempotency-Key",
                "X-Request-ID",
            ],
            expose_headers=["X-Request-ID", "Retry-After", "openai-poll-after-ms"],
        )
    inner = BodyLimits(
        inner,
        max_body=settings.max_body_bytes,
        max_header_bytes=settings.max_header_bytes,
        body_timeout=settings.body_timeout_seconds,
    )
    inner = Studio(inner, prefix="/studio", files=StaticFiles(directory=STUDIO_DIR, html=True))
    inner = Admission(inner, max_in_flight=settings.max_in_flight_requests)
    outer: Any = RequestContext(
        inner,
        gateway=lambda: holder.get("gateway"),
        route_of=route_of,
        metrics=metrics,
        access_log=settings.access_log,
    )
    return Tracing(outer, route_of=route_of) if settings.telemetry.enabled else outer
