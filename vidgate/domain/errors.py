"""What the gateway refuses or cannot do, as kinds. The HTTP layer (vidgate.http.errors) is the one
place that turns a kind into a status code, headers and a BifrostError body."""

from __future__ import annotations

from typing import ClassVar


class GatewayError(Exception):
    """A request the gateway refuses or cannot serve."""

    fault: ClassVar[str] = "caller"  # default `error_type` prefix: caller_, policy_, provider_, bifrost_
    default_code: ClassVar[str] = "error"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        param: str | None = None,
        provider: str | None = None,
        model: str | None = None,
        request_type: str | None = None,
        error_type: str | None = None,
        retry_after: float | None = None,
        from_provider: bool = False,
        event_id: str | None = None,
        details: dict[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code = code or self.default_code
        self.param = param
        self.provider = provider
        self.model = model
        self.request_type = request_type
        self.error_type = error_type or f"{self.fault}_{code}"
        self.retry_after = retry_after  # seconds after which trying again may succeed
        self.from_provider = from_provider  # the provider's refusal, passed on (not the gateway's own)
        self.event_id = event_id
        self.details = details or {}  # machine-readable facts about the refusal (e.g. budget left)


class InvalidRequest(GatewayError):
    """The request cannot be served as asked: a value, an id or an operation the provider lacks."""

    default_code = "invalid_request"


class NotFound(GatewayError):
    """No such video for this caller (another tenant's is indistinguishable), or not ready yet."""

    default_code = "not_found"


class Conflict(GatewayError):
    """The same request is being served right now; retry shortly."""

    default_code = "conflict"


class RequestMismatch(GatewayError):
    """An Idempotency-Key reused with a different request."""

    default_code = "request_mismatch"


class LimitExceeded(GatewayError):
    """A quota, rate or budget limit: wait (retry_after) or ask for more."""

    default_code = "limit_exceeded"
    fault = "policy"


class BudgetExceeded(LimitExceeded):
    """The job's estimated cost is more than a key's or tenant's budget has left this period;
    nothing was sent upstream. Retrying before the period resets cannot succeed."""

    default_code = "budget_exceeded"


class ProviderFailure(GatewayError):
    """The provider failed, or could not be reached, after retries."""

    default_code = "provider_error"
    fault = "provider"


class Unavailable(GatewayError):
    """The gateway itself cannot serve right now (its database is down, say); retry shortly."""

    default_code = "unavailable"
    fault = "bifrost"


def unsupported_operation(request_type: str, provider: str) -> InvalidRequest:
    """Bifrost's words for an operation a provider lacks."""
    return InvalidRequest(
        f"{request_type} is not supported by {provider} provider",
        code="unsupported_operation",
        provider=provider,
        request_type=request_type,
    )
