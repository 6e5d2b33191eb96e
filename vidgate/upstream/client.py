"""The one path for calling a provider: pooled HTTP, timeouts, one retry policy with backoff, metrics.

Providers only translate; everything about talking HTTP to an upstream happens here, once.
"""

from __future__ import annotations

import email.utils
import json
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import structlog
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt

from ..config import ProviderSettings
from ..telemetry import tracing
from ..telemetry.metrics import Metrics
from .aio_transport import AiohttpTransport
from .errors import UpstreamError

log = structlog.get_logger("vidgate.upstream")

RETRYABLE_STATUS = frozenset({408, 429, 500, 502, 503, 504})
TRANSPORT_ERRORS = (httpx.TransportError,)  # connect/read/write errors, timeouts, protocol errors
# The request never reached the provider: safe to send again even when it creates something.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
MAX_REDIRECTS = 10
PROXY_GAVE_UP = frozenset({502, 504})


def retry_after_seconds(response: httpx.Response) -> float | None:
    """`retry-after-ms` (OpenAI), else `Retry-After` as seconds or an HTTP date."""
    ms = response.headers.get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value) if value else None
        return max(0.0, parsed.timestamp() - time.time()) if parsed else None


def default_error_message(response: httpx.Response) -> str:
    """OpenAI `{"error": {"message"}}`, Google `{"error": {"message", "status"}}`, Runway `{"error": "..."}`,
    Replicate `{"detail"}`; else the start of the body."""
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return f"HTTP {response.status_code}: {response.text[:200]}"
    if isinstance(body, dict):
        err = body.get("error")
        if isinstance(err, dict) and err.get("message"):
            return str(err["message"])
        if isinstance(err, str):
            return err
        for key in ("detail", "message", "title"):
            if isinstance(body.get(key), str):
                return body[key]
        detail = body.get("detail")  # FastAPI-style validation errors (fal)
        if isinstance(detail, list) and detail and all(isinstance(d, dict) for d in detail):
            return "; ".join(str(d.get("msg", d)) for d in detail)
    return f"HTTP {response.status_code}"


async def _traceparent(request: httpx.Request) -> None:
    """Every request to a provider (each redirect hop too) carries the current span's context."""
    tracing.inject(request.headers)


def _request_attributes(provider: str, method: str, url: httpx.URL) -> dict[str, Any]:
    """What a client span says of a request: never its query (some providers take keys there)."""
    return {
        "http.request.method": method,
        "server.address": url.host,
        "server.port": url.port or (443 if url.scheme == "https" else 80),
        "url.path": url.path,
        "vidgate.provider": provider,
    }


class UpstreamClient:
    """One pooled httpx client per provider, with its retry budget."""

    def __init__(
        self,
        provider: str,
        settings: ProviderSettings,
        *,
        auth_headers: dict[str, str],
        base_url: str,
        error_message: Callable[[httpx.Response], str] = default_error_message,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.provider = provider
        self.settings = settings
        self.error_message = error_message
        timeout = httpx.Timeout(settings.timeout_seconds, connect=min(10.0, settings.timeout_seconds))
        if transport is None and not settings.http2:  # aiohttp's wire: a quarter of the CPU a call
            transport = AiohttpTransport(max_connections=64)
            public_transport: httpx.AsyncBaseTransport | None = AiohttpTransport(max_connections=64)
        else:
            public_transport = transport
        self.http = httpx.AsyncClient(
            base_url=base_url,
            headers=auth_headers,
            timeout=timeout,
            http2=settings.http2,
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=16),
            transport=transport,
            follow_redirects=False,
            event_hooks={"request": [_traceparent]},
        )
        # Presigned output URLs on other hosts (CDNs) get no provider credentials.
        self.public_http = httpx.AsyncClient(
            timeout=timeout,
            transport=public_transport,
            follow_redirects=False,
            event_hooks={"request": [_traceparent]},
        )
        self.metrics: Metrics | None = None

    async def aclose(self) -> None:
        await self.http.aclose()
        await self.public_http.aclose()

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        hinted = exc.retry_after if isinstance(exc, UpstreamError) else None
        backoff = min(8.0, 0.25 * 2 ** (state.attempt_number - 1))
        delay = hinted if hinted is not None else backoff * (0.5 + random.random())  # noqa: S311 (jitter)
        return min(delay, self.settings.max_retry_wait_seconds)

    def _retrying(self, retry: bool = True) -> AsyncRetrying:
        """The one retry policy: retryable UpstreamErrors, jittered backoff honouring the provider's
        hint, within the provider's retry budget; every retry counted."""
        return AsyncRetrying(
            stop=stop_after_attempt((self.settings.max_retries + 1) if retry else 1),
            wait=self._wait,
            retry=retry_if_exception(lambda e: isinstance(e, UpstreamError) and e.retryable),
            reraise=True,
            before_sleep=self._count_retry,
        )

    async def request(
        self, method: str, url: str, *, retry: bool = True, idempotent: bool = True, **kwargs: Any
    ) -> httpx.Response:
        """Send, retrying transport errors and 408/429/5xx; raise UpstreamError on failure.

        A non-idempotent call (a create) is re-sent only when it provably never left: after a
        lost answer it raises an `ambiguous` error instead, so nothing is submitted twice."""
        async for attempt in self._retrying(retry):
            with attempt:
                return await self._once(method, url, idempotent=idempotent, **kwargs)
        raise AssertionError("unreachable")

    def _count_retry(self, state: RetryCallState) -> None:
        if self.metrics is not None:
            self.metrics.upstream_retries.labels(self.provider).inc()
        exc = state.outcome.exception() if state.outcome else None
        log.info("upstream_retry", provider=self.provider, attempt=state.attempt_number, error=str(exc)[:200])

    def _observe(self, outcome: str) -> None:
        if self.metrics is not None:
            self.metrics.upstream_calls.labels(self.provider, outcome).inc()

    async def _once(self, method: str, url: str, *, idempotent: bool = True, **kwargs: Any) -> httpx.Response:
        attributes = tracing.enabled() and _request_attributes(
            self.provider, method, self.http.build_request(method, url).url
        )
        with tracing.span(method, kind=tracing.SpanKind.CLIENT, attributes=attributes or None) as span:
            response = await self._send(method, url, idempotent=idempotent, **kwargs)
            span.set_attribute("http.response.status_code", response.status_code)
            if response.status_code >= 400:
                raise self._refusal(response, idempotent=idempotent)
            return response

    async def _send(self, method: str, url: str, *, idempotent: bool, **kwargs: Any) -> httpx.Response:
        try:
            response = await self.http.request(method, url, **kwargs)
            self._observe("ok" if response.status_code < 400 else f"http_{response.status_code}")
        except TRANSPORT_ERRORS as exc:
            self._observe("transport_error")
            safe = idempotent or isinstance(exc, NOT_SENT)
            raise UpstreamError(
                self.provider,
                f"{type(exc).__name__} calling {method} {url}",
                retryable=safe,
                ambiguous=not safe,
            ) from exc
        return response

    def _refusal(self, response: httpx.Response, *, idempotent: bool = True) -> UpstreamError:
        """The provider answered with an error: its message, and whether trying again may help.

        A 502/504 on a create comes from a proxy that may have passed the request on before it gave
        up: like a lost answer, it is ambiguous, never re-sent."""
        proxy_gave_up = not idempotent and response.status_code in PROXY_GAVE_UP
        return UpstreamError(
            self.provider,
            self.error_message(response),
            status=response.status_code,
            retryable=response.status_code in RETRYABLE_STATUS and not proxy_gave_up,
            retry_after=retry_after_seconds(response),
            ambiguous=proxy_gave_up,
        )

    async def json(
        self, method: str, url: str, *, retry: bool = True, idempotent: bool = True, **kwargs: Any
    ) -> Any:
        body, _ = await self.json_response(method, url, retry=retry, idempotent=idempotent, **kwargs)
        return body

    async def create(self, url: str, **kwargs: Any) -> dict[str, Any]:
        """POST that creates an upstream job: never re-sent after a lost answer."""
        return await self.json("POST", url, idempotent=False, **kwargs)

    async def json_response(
        self, method: str, url: str, *, retry: bool = True, idempotent: bool = True, **kwargs: Any
    ) -> tuple[dict[str, Any], httpx.Response]:
        """A JSON object and its response; malformed or wrong-shaped bodies count as retryable."""
        async for attempt in self._retrying(retry):
            with attempt:
                response = await self._once(method, url, idempotent=idempotent, **kwargs)
                try:
                    body = response.json()
                except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                    raise UpstreamError(
                        self.provider,
                        f"malformed JSON from {method} {url}",
                        status=response.status_code,
                        retryable=True,
                    ) from exc
                if not isinstance(body, dict):
                    raise UpstreamError(
                        self.provider,
                        f"unexpected JSON shape from {method} {url}",
                        status=response.status_code,
                        retryable=True,
                    )
                return body, response
        raise AssertionError("unreachable")

    async def download(
        self,
        url: str,
        dest: Path,
        *,
        max_bytes: int,
        authenticated: bool = True,
        follow_redirects: bool = True,
        headers: dict[str, str] | None = None,
    ) -> int:
        """Stream a body to a file (never whole in memory); retried as a whole on transport errors.
        `headers` are added to this request (e.g. the `Accept` a provider's own SDK sends).

        Credentials go only to the provider's own origin: an absolute URL elsewhere, or a redirect
        that leaves the origin, is fetched without them. httpx itself strips only `Authorization`
        on a cross-origin redirect, not `x-goog-api-key`, `api-key` or a signed header."""
        attributes = tracing.enabled() and _request_attributes(
            self.provider, "GET", self.http.build_request("GET", url).url if authenticated else httpx.URL(url)
        )
        with tracing.span(
            "vidgate.job.download", kind=tracing.SpanKind.CLIENT, attributes=attributes or None
        ) as span:
            async for attempt in self._retrying():
                with attempt:
                    written = await self._download_once(
                        url, dest, max_bytes, authenticated, follow_redirects, headers
                    )
                    span.set_attributes(
                        {"vidgate.download.bytes": written, "vidgate.download.file": dest.name}
                    )
                    return written
        raise AssertionError("unreachable")

    def _own_origin(self, url: httpx.URL) -> bool:
        base = self.http.base_url
        return (url.scheme, url.host, url.port) == (base.scheme, base.host, base.port)

    async def _open(
        self, url: str, authenticated: bool, follow_redirects: bool, headers: dict[str, str] | None
    ) -> httpx.Response:
        """The final response of `url`, following at most MAX_REDIRECTS hops by hand so that each
        hop is judged for credentials."""
        target = self.http.build_request("GET", url).url if authenticated else httpx.URL(url)
        credentialed = authenticated
        for _ in range(MAX_REDIRECTS + 1):
            credentialed = credentialed and self._own_origin(target)
            client = self.http if credentialed else self.public_http
            response = await client.send(
                client.build_request("GET", target, headers=headers), stream=True, follow_redirects=False
            )
            if not (follow_redirects and response.is_redirect and response.next_request is not None):
                return response
            target = response.next_request.url
            await response.aclose()
        raise UpstreamError(self.provider, f"more than {MAX_REDIRECTS} redirects downloading {url}")

    async def _download_once(
        self,
        url: str,
        dest: Path,
        max_bytes: int,
        authenticated: bool,
        follow_redirects: bool,
        headers: dict[str, str] | None = None,
    ) -> int:
        written = 0
        try:
            r = await self._open(url, authenticated, follow_redirects, headers)
            try:
                if r.status_code >= 400:
                    await r.aread()
                    raise self._refusal(r)
                expected = r.headers.get("content-length")
                with dest.open("wb") as f:
                    async for chunk in r.aiter_bytes(1 << 16):
                        written += len(chunk)
                        if written > max_bytes:
                            raise UpstreamError(self.provider, f"asset larger than {max_bytes} bytes")
                        f.write(chunk)
                if expected is not None and int(expected) != written:
                    raise UpstreamError(
                        self.provider, f"truncated download ({written} of {expected} bytes)", retryable=True
                    )
            finally:
                await r.aclose()
        except TRANSPORT_ERRORS as exc:
            raise UpstreamError(
                self.provider, f"{type(exc).__name__} downloading {url}", retryable=True
            ) from exc
        return written
