"""A provider call that failed for good, and what the caller is told about it."""

from __future__ import annotations

from ..domain import GatewayError, InvalidRequest, LimitExceeded, NotFound, ProviderFailure


class UpstreamError(Exception):
    """A provider call that failed for good (after retries where they apply)."""

    def __init__(
        self,
        provider: str,
        message: str,
        *,
        status: int | None = None,
        retryable: bool = False,
        retry_after: float | None = None,
        code: str | None = None,
        ambiguous: bool = False,
    ) -> None:
        super().__init__(message)
        self.ambiguous = ambiguous  # sent, but no answer: the provider may have acted on it
        self.provider = provider
        self.message = message
        self.status = status
        self.retryable = retryable
        self.retry_after = retry_after
        self.code = code

    def to_domain(self, request_type: str | None = None) -> GatewayError:
        """The caller's fault stays the caller's (4xx kinds); ours or the provider's is a failure."""
        common = {
            "code": self.code or "provider_error",
            "provider": self.provider,
            "request_type": request_type,
            "from_provider": True,
        }
        message = f"{self.provider}: {self.message}"
        if self.status in (400, 409, 413, 422):
            return InvalidRequest(message, error_type="provider_rejected", **common)
        if self.status == 404:
            return NotFound(message, error_type="provider_rejected", **common)
        if self.status == 429:
            return LimitExceeded(
                message,
                error_type="provider_rate_limited",
                retry_after=max(1, int(self.retry_after or 5)),
                **common,
            )
        if self.status in (401, 403):
            message = (
                f"{self.provider}: {self.provider} rejected the gateway's credentials ({self.message}); "
                "the operator must fix the provider key"
            )
            return ProviderFailure(message, error_type="provider_auth", **common)
        error_type = "provider_unreachable" if self.status is None else "provider_error"
        return ProviderFailure(message, error_type=error_type, **common)
