"""One exception root for everything the gateway refuses, and one place that renders BifrostError."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

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


def error_type_for(status: int) -> str:
    return _TYPE_BY_STATUS.get(status, "server_error" if status >= 500 else "invalid_request_error")


@dataclass
class VidgateError(Exception):
    """A request the gateway refuses or cannot serve; rendered as a BifrostError body."""

    status: int
    code: str
    message: str
    param: str | None = None
    provider: str | None = None
    model: str | None = None
    request_type: str | None = None
    error_type: str | None = None
    is_bifrost_error: bool = True
    headers: dict[str, str] = field(default_factory=dict)
    event_id: str | None = None

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def body(self) -> dict[str, Any]:
        return bifrost_error_body(
            status=self.status,
            code=self.code,
            message=self.message,
            param=self.param,
            provider=self.provider,
            model=self.model,
            request_type=self.request_type,
            error_type=self.error_type,
            is_bifrost_error=self.is_bifrost_error,
            event_id=self.event_id,
        )


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


def new_event_id() -> str:
    return "evt_" + uuid.uuid4().hex


def bad_request(
    message: str, *, code: str = "invalid_request", param: str | None = None, **kw: Any
) -> VidgateError:
    return VidgateError(400, code, message, param=param, **kw)


def not_found(message: str, *, code: str = "not_found", **kw: Any) -> VidgateError:
    return VidgateError(404, code, message, **kw)


def unsupported_operation(request_type: str, provider: str) -> VidgateError:
    return VidgateError(
        400,
        "unsupported_operation",
        f"{request_type} is not supported by {provider} provider",
        provider=provider,
        request_type=request_type,
    )
