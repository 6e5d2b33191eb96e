"""The operator's side: API keys with their limits and budgets, tenants' budgets and job limits, and
spend across tenants. Changes reach every instance within a second (the key and tenant caches)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..domain import Budget, BudgetPeriod, InvalidRequest, NotFound, SpendStatus, period_key, period_reset
from ..store import ApiKeyStore, StoredKey, TenantPolicy, TenantStore, UsageLedger, UsageLine
from .spend import SpendPolicy


def _budget_fields(budget: dict[str, Any] | None) -> dict[str, Any]:
    """The budget part of a change: {usd, period} sets it, None removes it."""
    if budget is None:
        return {"budget_usd": None, "budget_period": None}
    return {"budget_usd": float(budget["usd"]), "budget_period": BudgetPeriod(budget["period"]).value}


class AdminService:
    def __init__(
        self, keys: ApiKeyStore, tenants: TenantStore, spend: SpendPolicy, usage: UsageLedger
    ) -> None:
        self.keys = keys
        self.tenants = tenants
        self.spend = spend
        self.usage = usage

    async def _status(self, scope: str, scope_id: str, budget: Budget | None) -> SpendStatus | None:
        if budget is None:
            return None
        now = dt.datetime.now(dt.UTC)
        spent, reserved = await self.spend.counters.read(scope, scope_id, period_key(budget.period, now))
        return SpendStatus(scope, scope_id, budget, spent, reserved, period_reset(budget.period, now))

    async def _with_status(self, key: StoredKey) -> tuple[StoredKey, SpendStatus | None]:
        return key, await self._status("key", key.id, key.budget)

    async def create_key(self, body: dict[str, Any]) -> tuple[str, StoredKey, SpendStatus | None]:
        limits = {k: body[k] for k in ("requests_per_minute", "max_active_jobs") if body.get(k) is not None}
        if body.get("budget") is not None:
            limits |= _budget_fields(body["budget"])
        plain, key = await self.keys.create(body["tenant"], body.get("name") or "default", **limits)
        return plain, key, await self._status("key", key.id, key.budget)

    async def list_keys(self, tenant: str | None) -> list[tuple[StoredKey, SpendStatus | None]]:
        return [await self._with_status(k) for k in await self.keys.list(tenant)]

    async def key(self, key_id: str) -> tuple[StoredKey, SpendStatus | None]:
        key = await self.keys.get(key_id)
        if key is None:
            raise NotFound(f"no API key {key_id!r}; list them with GET /admin/v1/keys", code="key_not_found")
        return await self._with_status(key)

    async def update_key(self, key_id: str, body: dict[str, Any]) -> tuple[StoredKey, SpendStatus | None]:
        changes = {k: body[k] for k in ("name", "requests_per_minute", "max_active_jobs") if k in body}
        if "budget" in body:
            changes |= _budget_fields(body["budget"])
        if not changes:
            raise InvalidRequest(
                "nothing to change: send name, requests_per_minute, max_active_jobs or budget"
            )
        key = await self.keys.update(key_id, **changes)
        if key is None:
            raise NotFound(f"no API key {key_id!r}", code="key_not_found")
        return await self._with_status(key)

    async def revoke_key(self, key_id: str) -> tuple[StoredKey, SpendStatus | None]:
        key, status = await self.key(key_id)
        if key.revoked_at is None:
            await self.keys.revoke(key_id)
            key, status = await self.key(key_id)
        return key, status

    async def tenant(self, tenant: str) -> tuple[TenantPolicy, SpendStatus | None]:
        policy = await self.tenants.get(tenant) or TenantPolicy(tenant)
        return policy, await self._status("tenant", tenant, policy.budget)

    async def list_tenants(self) -> list[tuple[TenantPolicy, SpendStatus | None]]:
        return [(p, await self._status("tenant", p.tenant, p.budget)) for p in await self.tenants.list()]

    async def update_tenant(
        self, tenant: str, body: dict[str, Any]
    ) -> tuple[TenantPolicy, SpendStatus | None]:
        changes: dict[str, Any] = {}
        if "max_active_jobs" in body:
            changes["max_active_jobs"] = body["max_active_jobs"]
        if "budget" in body:
            changes |= _budget_fields(body["budget"])
        if not changes:
            raise InvalidRequest("nothing to change: send budget or max_active_jobs")
        policy = await self.tenants.put(tenant, **changes)
        return policy, await self._status("tenant", tenant, policy.budget)

    async def spend_report(self, tenant: str | None, since: float, until: float | None) -> list[UsageLine]:
        return await self.usage.summary(tenant, since, until)
