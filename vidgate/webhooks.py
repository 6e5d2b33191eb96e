"""Webhooks (Standard Webhooks): a durable outbox written with the job's outcome, delivered with
retries and backoff by every instance (one delivery at a time each, under a lease).

Signature: base64(HMAC-SHA256(secret, f"{webhook-id}.{webhook-timestamp}.{body}")), sent as
`webhook-signature: v1,<signature>`; the secret is `whsec_<base64>`.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
import structlog
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from .config import WebhookSettings
from .errors import VidgateError
from .guarded_http import AddressPolicy, AddressRefused, guarded_client
from .inputs import check_url
from .metrics import Metrics
from .store.models import WebhookRow

log = structlog.get_logger("vidgate.webhooks")

MAX_ATTEMPTS = 8
BACKOFF_SECONDS = (1, 5, 30, 120, 600, 1800, 3600)


def new_event(tenant: str, event_type: str, data: dict[str, Any]) -> WebhookRow:
    """An outbox row; the caller adds it in the transaction that records the outcome."""
    now = time.time()
    event_id = "msg_" + uuid.uuid4().hex
    payload = json.dumps({"type": event_type, "timestamp": int(now), "data": data}, separators=(",", ":"))
    return WebhookRow(
        id=event_id,
        tenant=tenant,
        event_type=event_type,
        payload=payload,
        status="pending",
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )


def sign(secret: str, msg_id: str, timestamp: int, body: str) -> str:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    digest = hmac.new(key, f"{msg_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


@dataclass
class WebhookDispatcher:
    engine: AsyncEngine
    targets: dict[str, WebhookSettings]
    metrics: Metrics
    url_policy: AddressPolicy = field(default_factory=AddressPolicy)
    poll_seconds: float = 0.5

    def __post_init__(self) -> None:
        self._session = async_sessionmaker(self.engine, expire_on_commit=False)
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._http = guarded_client(self.url_policy, timeout=10.0)

    def start(self) -> None:
        if self.targets:
            self._task = asyncio.create_task(self._run(), name="vidgate-webhooks")

    async def stop(self) -> None:
        self._stop.set()
        if self._task:
            await self._task
        await self._http.aclose()

    async def _claim(self) -> WebhookRow | None:
        now = time.time()
        async with self._session() as s:
            row = await s.scalar(
                select(WebhookRow)
                .where(
                    WebhookRow.status == "pending",
                    WebhookRow.next_attempt_at <= now,
                    (WebhookRow.lease_until.is_(None)) | (WebhookRow.lease_until < now),
                )
                .order_by(WebhookRow.next_attempt_at)
                .limit(1)
            )
        if row is None:
            return None
        async with self._session.begin() as s:
            won = await s.execute(
                update(WebhookRow)
                .where(
                    WebhookRow.id == row.id,
                    (WebhookRow.lease_until.is_(None)) | (WebhookRow.lease_until < now),
                )
                .values(lease_until=now + 30)
            )
        return row if won.rowcount == 1 else None

    async def deliver_once(self) -> bool:
        """Try one due delivery; False when none was due."""
        row = await self._claim()
        if row is None:
            return False
        target = self.targets.get(row.tenant)
        error = None
        if target is None:
            error = "no webhook is configured for this tenant any more"
        else:
            try:
                check_url(target.url, param="webhook url")
                stamp = int(time.time())
                headers = {
                    "content-type": "application/json",
                    "webhook-id": row.id,
                    "webhook-timestamp": str(stamp),
                    "webhook-signature": sign(target.secret.get_secret_value(), row.id, stamp, row.payload),
                }
                response = await self._http.post(target.url, content=row.payload, headers=headers)
                if not response.is_success:
                    error = f"HTTP {response.status_code}"
            except AddressRefused as exc:
                error = f"the webhook URL's host resolves to a private address ({exc.host}); nothing was sent"
            except (httpx.HTTPError, VidgateError) as exc:
                error = str(exc)[:300] or type(exc).__name__
        await self._settle(row, error)
        return True

    async def _settle(self, row: WebhookRow, error: str | None) -> None:
        attempts = row.attempts + 1
        if error is None:
            values: dict[str, Any] = {"status": "delivered", "attempts": attempts, "last_error": None}
            self.metrics.webhooks.labels("delivered").inc()
        elif attempts >= MAX_ATTEMPTS:
            values = {"status": "failed", "attempts": attempts, "last_error": error}
            self.metrics.webhooks.labels("gave_up").inc()
        else:
            delay = BACKOFF_SECONDS[min(attempts - 1, len(BACKOFF_SECONDS) - 1)]
            values = {"attempts": attempts, "last_error": error, "next_attempt_at": time.time() + delay}
            self.metrics.webhooks.labels("retry").inc()
        async with self._session.begin() as s:
            await s.execute(
                update(WebhookRow).where(WebhookRow.id == row.id).values(lease_until=None, **values)
            )
        log.info("webhook_attempt", event_id=row.id, tenant=row.tenant, attempt=attempts, error=error)

    async def _run(self) -> None:
        while not self._stop.is_set():
            try:
                if await self.deliver_once():
                    continue
            except Exception:
                log.exception("webhook_loop_failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), self.poll_seconds)
