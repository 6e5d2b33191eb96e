"""What a job will cost, which budgets it is held against, and the refusal when one has too little
left. Prices come from the catalog (per output second, by resolution, with or without audio); a
job's rate is fixed when it is created, so a price change never reprices a job in flight."""

from __future__ import annotations

import datetime as dt
import time

from ..catalog import Catalog
from ..domain import (
    Budget,
    BudgetExceeded,
    BudgetPeriod,
    Caller,
    InvalidRequest,
    Reservation,
    SpendStatus,
    period_key,
    period_reset,
)
from ..providers import PreparedJob
from ..store import ReservationRefused, SpendCounters, TenantPolicy, TenantStore

CACHE_SECONDS = 1.0  # a tenant policy changed through the admin API applies within a second


class SpendPolicy:
    def __init__(self, catalog: Catalog, tenants: TenantStore, counters: SpendCounters) -> None:
        self.catalog = catalog
        self.tenants = tenants
        self.counters = counters
        self._cache: dict[str, tuple[float, TenantPolicy | None]] = {}

    async def tenant(self, tenant: str) -> TenantPolicy | None:
        cached = self._cache.get(tenant)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        policy = await self.tenants.get(tenant)
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[tenant] = (time.monotonic() + CACHE_SECONDS, policy)
        return policy

    def rate(self, provider: str, prepared: PreparedJob, audio: bool | None) -> float | None:
        """USD per output second for this job, or None when the catalog has no price for it."""
        spec = self.catalog.model(provider, prepared.model)
        if spec is None or spec.price is None:
            return None
        with_audio = bool(audio) or spec.audio == "always"
        return spec.price.per_second_for(prepared.size, with_audio)

    async def budgets(self, caller: Caller) -> list[tuple[str, str, Budget]]:
        """(scope, scope id, budget) for each budget the caller's jobs count against."""
        found = []
        if caller.budget is not None and caller.key_id:
            found.append(("key", caller.key_id, caller.budget))
        policy = await self.tenant(caller.tenant)
        if policy is not None and policy.budget is not None:
            found.append(("tenant", caller.tenant, policy.budget))
        return found

    async def reservations(self, caller: Caller, estimate: float | None, model: str) -> list[Reservation]:
        budgets = await self.budgets(caller)
        if budgets and estimate is None:
            raise InvalidRequest(
                f"{model} has no price in this gateway's catalog, so it cannot be held to your budget; "
                "the operator can set one in the config file (catalog: <provider>: models: <model>: price)",
                code="model_unpriced",
                param="model",
            )
        now = dt.datetime.now(dt.UTC)
        return [Reservation(scope, sid, period_key(b.period, now), b.limit_usd) for scope, sid, b in budgets]

    def refusal(self, refused: ReservationRefused, estimate: float) -> BudgetExceeded:
        r = refused.reservation
        period = r.period.split(":", 1)[0]
        resets = period_reset(BudgetPeriod(period), dt.datetime.now(dt.UTC))
        remaining = max(0.0, round(r.limit_usd - refused.spent_usd - refused.reserved_usd, 6))
        whose = "this API key's" if r.scope == "key" else f"tenant {r.scope_id!r}'s"
        return BudgetExceeded(
            f"this video would cost about ${estimate:.2f} and {whose} {period}ly budget of "
            f"${r.limit_usd:.2f} has ${remaining:.2f} left (spent ${refused.spent_usd:.2f}, "
            f"${refused.reserved_usd:.2f} held by jobs in progress); it resets at {resets.isoformat()}",
            retry_after=max(1.0, (resets - dt.datetime.now(dt.UTC)).total_seconds()),
            details={
                "scope": r.scope,
                "limit_usd": r.limit_usd,
                "spent_usd": refused.spent_usd,
                "reserved_usd": refused.reserved_usd,
                "remaining_usd": remaining,
                "estimated_cost_usd": estimate,
                "period": period,
                "resets_at": resets.isoformat(),
            },
        )

    async def status(self, caller: Caller) -> list[SpendStatus]:
        now = dt.datetime.now(dt.UTC)
        found = []
        for scope, sid, budget in await self.budgets(caller):
            spent, reserved = await self.counters.read(scope, sid, period_key(budget.period, now))
            found.append(SpendStatus(scope, sid, budget, spent, reserved, period_reset(budget.period, now)))
        return found
