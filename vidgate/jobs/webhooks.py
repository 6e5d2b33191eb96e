"""Webhook delivery (Standard Webhooks): events from the store's outbox, signed and POSTed to the
tenant's URL through the URL guard, retried with backoff by every instance.

Signature: base64(HMAC-SHA256(secret, f"{webhook-id}.{webhook-timestamp}.{body}")), sent as
`webhook-signature: v1,<signature>`; the secret is `whsec_<base64>`.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import time

import httpx
import structlog

from ..config import WebhookSettings
from ..domain import GatewayError
from ..store import OutboxEvent, WebhookOutbox
from ..telemetry import tracing
from ..telemetry.metrics import Metrics
from ..upstream import AddressPolicy, AddressRefused, guarded_client
from ..upstream.caller_media import check_url

log = structlog.get_logger("vidgate.webhooks")

MAX_ATTEMPTS = 8
BACKOFF_SECONDS = (1, 5, 30, 120, 600, 1800, 3600)


def sign(secret: str, msg_id: str, timestamp: int, body: str) -> str:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    digest = hmac.new(key, f"{msg_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


class WebhookDispatcher:
    def __init__(
        self,
        outbox: WebhookOutbox,
        targets: dict[str, WebhookSettings],
        metrics: Metrics,
        url_policy: AddressPolicy,
        poll_seconds: float = 0.5,
    ) -> None:
        self.outbox = outbox
        self.targets = targets
        self.metrics = metrics
        self.poll_seconds = poll_seconds
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._http = guarded_client(url_policy, timeout=10.0)

    def start(self) -> None:
        if self.targets:
            self._task = asyncio.create_task(self._run(), name="vidgate-webhooks")

    async def stop(self) -> None:
        self._stop.set()
        if self._task:
            await self._task
        await self._http.aclose()

    async def deliver_once(self) -> bool:
        """Try one due delivery; False when none was due."""
        event = await self.outbox.claim()
        if event is None:
            return False
        attempt = event.attempts + 1
        with tracing.span(  # in the trace of the job it reports
            "vidgate.webhook.deliver",
            parent=event.trace_context or {},
            kind=tracing.SpanKind.CLIENT,
            attributes={"vidgate.webhook.id": event.id, "vidgate.webhook.type": event.event_type},
        ) as span:
            span.set_attribute("vidgate.webhook.attempt", attempt)
            error = await self._post(event, span)
            if error is not None:
                tracing.mark_error(span, error)
            await self._settle(event, attempt, error)
        return True

    async def _settle(self, event: OutboxEvent, attempt: int, error: str | None) -> None:
        if error is None:
            await self.outbox.delivered(event)
            self.metrics.webhooks.labels("delivered").inc()
        elif attempt >= MAX_ATTEMPTS:
            await self.outbox.gave_up(event, error)
            self.metrics.webhooks.labels("gave_up").inc()
        else:
            await self.outbox.retry_later(
                event, error, BACKOFF_SECONDS[min(attempt - 1, len(BACKOFF_SECONDS) - 1)]
            )
            self.metrics.webhooks.labels("retry").inc()
        log.info("webhook_attempt", event_id=event.id, tenant=event.tenant, attempt=attempt, error=error)

    async def _post(self, event: OutboxEvent, span: tracing.Span) -> str | None:
        """Deliver one event; the error, if it was not delivered."""
        target = self.targets.get(event.tenant)
        if target is None:
            return "no webhook is configured for this tenant any more"
        try:
            check_url(target.url, param="webhook url")
            stamp = int(time.time())
            headers = {
                "content-type": "application/json",
                "webhook-id": event.id,
                "webhook-timestamp": str(stamp),
                "webhook-signature": sign(target.secret.get_secret_value(), event.id, stamp, event.payload),
            }
            tracing.inject(headers)  # traceparent: the receiver may join the job's trace
            response = await self._http.post(target.url, content=event.payload, headers=headers)
        except AddressRefused as exc:
            return f"the webhook URL's host resolves to a private address ({exc.host}); nothing was sent"
        except (httpx.HTTPError, GatewayError) as exc:
            return str(exc)[:300] or type(exc).__name__
        span.set_attribute("http.response.status_code", response.status_code)
        return None if response.is_success else f"HTTP {response.status_code}"

    async def _run(self) -> None:
        while not self._stop.is_set():
            try:
                if await self.deliver_once():
                    continue
            except Exception:
                log.exception("webhook_loop_failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), self.poll_seconds)
