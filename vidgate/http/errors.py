"""The one place where refusals become HTTP: a domain error's kind picks the status, its retry hint
becomes `Retry-After`, and every body is a BifrostError (never problem+json, never a trace)."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import structlog
from connexion.exceptions import ProblemException
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException

from ..domain import (
    BudgetExceeded,
    Conflict,
    GatewayError,
    InvalidRequest,
    LimitExceeded,
    NotFound,
    ProviderFailure,
    RequestMismatch,
    Unavailable,
)
from ..store import database_unavailable
from .routes import allowed_methods

log = structlog.get_logger("vidgate.http")

STATUS: dict[type[GatewayError], int] = {
    InvalidRequest: 400,
    NotFound: 404,
    Conflict: 409,
    RequestMismatch: 422,
    LimitExceeded: 429,
    ProviderFailure: 502,
    Unavailable: 503,
}
# error.type by status: what OpenAI-style clients switch on.
_TYPE_BY_STATUS = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    405: "invalid_request_error",
    409: "conflict_error",
    413: "invalid_request_error",
    415: "invalid_request_error",
    416: "invalid_request_error",
    422: "invalid_request_error",
    429: "rate_limit_error",
    502: "upstream_error",
    503: "service_unavailable_error",
}
AUTH_HINT = (
    "send your API key as `Authorization: Bearer <key>`, `x-api-key: <key>`, `x-bf-vk: <key>`, "
    "or HTTP Basic with the key as the password"
)


class HttpRefusal(GatewayError):
    """A refusal that only exists in HTTP (a body too large, a bad Range, headers too big...)."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message, code=code)
        self.status = status
        self.headers = headers or {}
        if status >= 500:
            self.error_type = f"bifrost_{code}"


def error_type_for(status: int) -> str:
    return _TYPE_BY_STATUS.get(status, "server_error" if status >= 500 else "invalid_request_error")


def status_of(error: GatewayError) -> int:
    if isinstance(error, HttpRefusal):
        return error.status
    return next((status for kind, status in STATUS.items() if isinstance(error, kind)), 500)


def headers_of(error: GatewayError) -> dict[str, str]:
    headers = dict(error.headers) if isinstance(error, HttpRefusal) else {}
    if error.retry_after is not None:
        headers["Retry-After"] = str(max(1, round(error.retry_after)))
    if isinstance(error, BudgetExceeded):  # no retry succeeds before the budget resets
        headers["x-should-retry"] = "false"
    return headers


def bifrost_error_body(
    *,
    status: int,
    code: str,
    message: str,
    param: str | None = None,
    provider: str | None = None,
    model: str | None = None,
    request_type: str | None = None,
    error_type: str | None = None,
    is_bifrost_error: bool = True,
    event_id: str | None = None,
) -> dict[str, Any]:
    """The BifrostError JSON object; absent fields are left out, never null (as Bifrost does)."""
    etype = error_type_for(status)
    error: dict[str, Any] = {"type": etype, "code": code, "message": message}
    if param:
        error["param"] = param
    if event_id:
        error["event_id"] = event_id
    extra: dict[str, Any] = {"error_type": error_type or (("caller_" if status < 500 else "bifrost_") + code)}
    if provider:
        extra["provider"] = provider
    if model:
        extra["model_requested"] = model
    if request_type:
        extra["request_type"] = request_type
    body: dict[str, Any] = {
        "type": etype,
        "is_bifrost_error": is_bifrost_error,
        "status_code": status,
        "error": error,
        "extra_fields": extra,
    }
    if event_id:
        body["event_id"] = event_id
    return body


def error_body(error: GatewayError) -> dict[str, Any]:
    body = bifrost_error_body(
        status=status_of(error),
        code=error.code,
        message=error.message,
        param=error.param,
        provider=error.provider,
        model=error.model,
        request_type=error.request_type,
        error_type=error.error_type,
        is_bifrost_error=not error.from_provider,
        event_id=error.event_id,
    )
    if error.details:
        body["extra_fields"]["details"] = error.details
    return body


def json_response(
    status: int, body: dict[str, Any], headers: dict[str, str] | None = None
) -> ConnexionResponse:
    return ConnexionResponse(
        status_code=status,
        mimetype="application/json",
        content_type="application/json",
        body=json.dumps(body).encode(),
        headers=headers or {},
    )


def error_response(error: GatewayError) -> ConnexionResponse:
    return json_response(status_of(error), error_body(error), headers_of(error))


# --- the app's error handlers ---------------------------------------------------------------


def on_gateway_error(_request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    assert isinstance(exc, GatewayError)
    return error_response(exc)


def on_problem(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
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
    return json_response(status, bifrost_error_body(status=status, code=code, message=message), headers)


def on_http_exception(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    """Starlette's routing refusals: unknown path (404), wrong method (405 with Allow)."""
    assert isinstance(exc, HTTPException)
    headers = dict(exc.headers or {})
    method, path = request.method, request.url.path
    if exc.status_code == 404:
        code, message = "route_not_found", f"no route {method} {path}; the API is described at /openapi.json"
    elif exc.status_code == 405:
        allowed = allowed_methods(path) or headers.get("allow", "")
        headers = {k: v for k, v in headers.items() if k.lower() != "allow"} | {"Allow": allowed}
        code, message = "method_not_allowed", f"{method} is not allowed on {path}; allowed: {allowed}"
    else:
        code, message = "http_error", str(exc.detail)
    return json_response(
        exc.status_code, bifrost_error_body(status=exc.status_code, code=code, message=message), headers
    )


def on_unexpected(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    if database_unavailable(exc):
        log.warning("database_unavailable", error=f"{type(exc).__name__}: {exc}"[:300])
        return error_response(
            Unavailable(
                "the gateway's database is not answering right now; retry in a few seconds",
                code="database_unavailable",
                retry_after=2,
            )
        )
    if isinstance(exc, MultiPartException):  # bad framing, or past Starlette's part limits
        return error_response(
            InvalidRequest(
                f"the multipart/form-data body could not be read ({exc.message}); send well-formed "
                "multipart with a boundary, or JSON",
                code="invalid_multipart",
            )
        )
    if isinstance(exc, RecursionError):  # JSON nested deeper than the parser can follow
        return error_response(InvalidRequest("the JSON body is nested too deeply", code="invalid_json"))
    if isinstance(exc, UnicodeDecodeError | json.JSONDecodeError):  # Connexion lets these escape
        return error_response(
            InvalidRequest(
                "the request body is not valid UTF-8 JSON; send a JSON object encoded as UTF-8",
                code="invalid_json",
            )
        )
    event_id = "evt_" + uuid.uuid4().hex
    log.error(
        "unhandled_exception", event_id=event_id, method=request.method, path=request.url.path, exc_info=exc
    )
    body = bifrost_error_body(
        status=500,
        code="internal_error",
        message=f"the gateway failed unexpectedly; quote event_id {event_id} when reporting it",
        event_id=event_id,
    )
    return json_response(500, body)
