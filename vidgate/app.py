"""create_app(settings): Connexion serves spec/openapi.yaml; every error leaves as BifrostError."""

from __future__ import annotations

import contextlib
import errno
import json
import re
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import structlog
from connexion import AsyncApp
from connexion.exceptions import ProblemException
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from connexion.options import SwaggerUIOptions
from connexion.resolver import Resolver
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.middleware.cors import CORSMiddleware
from starlette.staticfiles import StaticFiles

from . import connexion_tuning, spec_files
from .assets import AssetStore, build_asset_store
from .auth import KeyRing
from .config import Settings
from .errors import VidgateError, bifrost_error_body, new_event_id
from .guard import Guard
from .metrics import Metrics
from .providers import ProviderRegistry, build_providers
from .quotas import RateLimiter
from .service import Limits, VideoService
from .store import IdempotencyKeys, JobStore, open_engine
from .store.engine import migrate
from .store.keys import ApiKeys
from .sweeper import Sweeper
from .webhooks import WebhookDispatcher
from .worker import Worker

SPEC_DIR = spec_files.SPEC_DIR
STUDIO_DIR = Path(__file__).resolve().parent / "studio"
log = structlog.get_logger("vidgate.http")

AUTH_HINT = (
    "send your API key as `Authorization: Bearer <key>`, `x-api-key: <key>`, `x-bf-vk: <key>`, "
    "or HTTP Basic with the key as the password"
)


@dataclass
class Services:
    settings: Settings
    keys: KeyRing
    store: JobStore
    assets: AssetStore
    providers: ProviderRegistry
    videos: VideoService
    worker: Worker
    sweeper: Sweeper
    api_keys: ApiKeys
    limiter: RateLimiter
    metrics: Metrics
    webhooks: WebhookDispatcher


class OperationResolver(Resolver):
    """operationId `videoRetrieve` with tag `Videos` → `handlers.videos.video_retrieve`."""

    def resolve_operation_id(self, operation: Any) -> str:
        spec = operation._operation
        module = spec.get("tags", ["default"])[0].lower()
        function = re.sub(r"(?<!^)(?=[A-Z])", "_", operation.operation_id).lower()
        return f"handlers.{module}.{function}"


def _json_response(
    status: int, body: dict[str, Any], headers: dict[str, str] | None = None
) -> ConnexionResponse:
    return ConnexionResponse(
        status_code=status,
        mimetype="application/json",
        content_type="application/json",
        body=json.dumps(body).encode(),
        headers=headers or {},
    )


def _vidgate_error(_request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    assert isinstance(exc, VidgateError)
    return _json_response(exc.status, exc.body(), exc.headers)


def _problem(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    """Connexion's own refusals: validation (400), security (401/403), media type (415)."""
    assert isinstance(exc, ProblemException)
    status = exc.status
    detail = str(exc.detail or exc.title or "")
    headers = dict(exc.headers or {})
    if status in (401, 403):
        status, code, message = 401, "invalid_api_key", f"No valid API key: {AUTH_HINT}."
        headers["WWW-Authenticate"] = 'Bearer realm="vidgate"'
    elif status == 415:
        code = "unsupported_media_type"
        message = f"{detail}: send the body with one of those Content-Types."
    elif status == 400:
        code = "invalid_request"  # jsonschema appends the whole schema after a blank line
        message = f"Invalid request: {detail.split(chr(10) + chr(10), 1)[0]}"
    else:
        code = re.sub(r"\W+", "_", (exc.title or "error").lower()).strip("_")
        message = detail or exc.title or "error"
    return _json_response(status, bifrost_error_body(status=status, code=code, message=message), headers)


_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def allow_table(spec_dir: Path) -> list[tuple[re.Pattern[str], str]]:
    """Path template → the `Allow` value, from the spec (Starlette only knows the first route)."""
    root = spec_files.load(spec_dir / "openapi.yaml")
    table = []
    for template, item in root["paths"].items():
        if "$ref" in item:
            file, _, pointer = item["$ref"].partition("#/")
            item = spec_files.load(spec_dir / file)[pointer]
        methods = [m.upper() for m in _HTTP_METHODS if m in item]
        if "GET" in methods and "HEAD" not in methods:
            methods.append("HEAD")  # Starlette answers HEAD wherever GET is routed
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
        table.append((re.compile(f"^{pattern}$"), ", ".join(methods)))
    return table


def _http_exception(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    """Starlette's routing refusals: unknown path (404), wrong method (405 with Allow)."""
    assert isinstance(exc, HTTPException)
    headers = dict(exc.headers or {})
    method, path = request.method, request.url.path
    if exc.status_code == 404:
        code, message = (
            "route_not_found",
            f"no route {method} {path}; the API is described at /openapi.json",
        )
    elif exc.status_code == 405:
        allowed = next((a for rx, a in ALLOW if rx.match(path)), headers.get("allow", ""))
        headers = {k: v for k, v in headers.items() if k.lower() != "allow"} | {"Allow": allowed}
        code, message = (
            "method_not_allowed",
            f"{method} is not allowed on {path}; allowed: {allowed}",
        )
    else:
        code, message = "http_error", str(exc.detail)
    return _json_response(
        exc.status_code,
        bifrost_error_body(status=exc.status_code, code=code, message=message),
        headers,
    )


ALLOW = allow_table(SPEC_DIR)
ROUTES = [
    (rx, template)
    for (rx, _), template in zip(ALLOW, spec_files.load(SPEC_DIR / "openapi.yaml")["paths"], strict=True)
]


def route_of(path: str) -> str:
    """The spec's path template for a request path: a metrics label of bounded cardinality."""
    return next((template for rx, template in ROUTES if rx.match(path)), "unmatched")


def _postgres_unavailable_errors() -> tuple[type[BaseException], ...]:
    """asyncpg's "server unavailable" errors, if asyncpg is in use (it is imported only for
    PostgreSQL: on SQLite it never loads, and none of its errors can occur)."""
    asyncpg = sys.modules.get("asyncpg")
    if asyncpg is None:
        return ()
    return (
        asyncpg.PostgresConnectionError,
        asyncpg.CannotConnectNowError,
        asyncpg.OperatorInterventionError,
        asyncpg.ObjectNotInPrerequisiteStateError,
        asyncpg.TooManyConnectionsError,
        asyncpg.InterfaceError,
    )


def database_unavailable(exc: BaseException) -> bool:
    """A database that is down, refusing connections, restarting or locked (not a broken query)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return True
        if isinstance(current, (ConnectionError, TimeoutError, *_postgres_unavailable_errors())):
            return True
        if isinstance(current, OSError) and current.errno in (errno.ECONNREFUSED, errno.ECONNRESET):
            return True
        text = str(current).lower()
        if "database is locked" in text or "unable to open database" in text:
            return True
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
    return False


def _unexpected(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    if database_unavailable(exc):
        log.warning("database_unavailable", error=f"{type(exc).__name__}: {exc}"[:300])
        body = bifrost_error_body(
            status=503,
            code="database_unavailable",
            message="the gateway's database is not answering right now; retry in a few seconds",
        )
        return _json_response(503, body, {"Retry-After": "2"})
    if isinstance(exc, MultiPartException):  # bad framing, or past Starlette's part limits
        body = bifrost_error_body(
            status=400,
            code="invalid_multipart",
            message=f"the multipart/form-data body could not be read ({exc.message}); send well-formed "
            "multipart with a boundary, or JSON",
        )
        return _json_response(400, body)
    if isinstance(exc, RecursionError):  # JSON nested deeper than the parser can follow
        body = bifrost_error_body(
            status=400, code="invalid_json", message="the JSON body is nested too deeply"
        )
        return _json_response(400, body)
    if isinstance(exc, UnicodeDecodeError | json.JSONDecodeError):  # Connexion lets these escape
        body = bifrost_error_body(
            status=400,
            code="invalid_json",
            message="the request body is not valid UTF-8 JSON; send a JSON object encoded as UTF-8",
        )
        return _json_response(400, body)
    event_id = new_event_id()
    log.error(
        "unhandled_exception",
        event_id=event_id,
        method=request.method,
        path=request.url.path,
        exc_info=exc,
    )
    body = bifrost_error_body(
        status=500,
        code="internal_error",
        message=f"the gateway failed unexpectedly; quote event_id {event_id} when reporting it",
        event_id=event_id,
    )
    return _json_response(500, body)


def build_services(settings: Settings, engine: AsyncEngine, metrics: Metrics) -> Services:
    store = JobStore(engine)
    assets = build_asset_store(settings)
    providers = build_providers(settings, metrics)
    keys = IdempotencyKeys(engine, settings.idempotency_ttl_seconds)
    worker = Worker(settings, store, assets, providers.offered, metrics)
    limits = Limits(
        max_active_jobs_per_tenant=settings.max_active_jobs_per_tenant,
        submit_timeout_seconds=settings.submit_timeout_seconds,
        url_policy=settings.url_policy,
        model_aliases=settings.model_aliases,
        fallback_model=settings.fallback_model,
    )
    videos = VideoService(store, assets, providers, limits, keys, on_new_job=worker.poke)
    sweeper = Sweeper(store, assets, keys, settings.sweep_interval_seconds)
    api_keys = ApiKeys(engine)
    keyring = KeyRing.from_settings(settings, api_keys)
    webhooks = WebhookDispatcher(engine, settings.webhooks, metrics, url_policy=settings.url_policy)
    return Services(
        settings,
        keyring,
        store,
        assets,
        providers,
        videos,
        worker,
        sweeper,
        api_keys,
        RateLimiter(),
        metrics,
        webhooks,
    )


def create_app(settings: Settings, *, validate_responses: bool = False) -> Guard:
    """The ASGI app. Services are built in the lifespan (they need the event loop)."""
    holder: dict[str, Services] = {}
    metrics = Metrics()

    @contextlib.asynccontextmanager
    async def lifespan(_app: Any) -> AsyncIterator[None]:
        engine = open_engine(settings.resolved_database_url, inline_sqlite=settings.library_tuning)
        await migrate(engine)
        services = build_services(settings, engine, metrics)
        holder["services"] = services
        services.worker.start()
        services.sweeper.start()
        services.webhooks.start()
        log.info(
            "started",
            database=engine.url.render_as_string(hide_password=True),
            providers=sorted(services.providers.offered),
            keys=len(services.keys),
            worker=services.worker.owner,
        )
        try:
            yield
        finally:
            await services.sweeper.stop()
            await services.webhooks.stop()
            await services.worker.stop()
            await services.providers.aclose()
            await services.store.close()
            log.info("stopped")

    if settings.library_tuning:
        connexion_tuning.apply()
    app = AsyncApp(
        __name__,
        specification_dir=SPEC_DIR,
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
    app.add_error_handler(VidgateError, _vidgate_error)
    app.add_error_handler(ProblemException, _problem)
    app.add_error_handler(HTTPException, _http_exception)
    app.add_error_handler(Exception, _unexpected)

    def services() -> Services | None:
        return holder.get("services")

    inner: Any = app
    if settings.cors_origins:  # off unless configured: browsers get no CORS headers at all
        inner = CORSMiddleware(
            app,
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
    return Guard(
        inner,
        max_body=settings.max_body_bytes,
        services=services,
        route_of=route_of,
        metrics=metrics,
        access_log=settings.access_log,
        max_header_bytes=settings.max_header_bytes,
        body_timeout=settings.body_timeout_seconds,
        max_in_flight=settings.max_in_flight_requests,
        static=("/studio", StaticFiles(directory=STUDIO_DIR, html=True)),
    )
