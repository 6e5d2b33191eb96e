"""Per-tenant policy set through the admin API: a budget in dollars per period, and a limit of
concurrent jobs (above the gateway-wide default)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from ..domain import Budget, BudgetPeriod
from .models import TenantRow


@dataclass(frozen=True)
class TenantPolicy:
    tenant: str
    budget: Budget | None = None
    max_active_jobs: int | None = None

    @classmethod
    def from_row(cls, row: TenantRow) -> TenantPolicy:
        budget = None
        if row.budget_usd is not None and row.budget_period:
            budget = Budget(row.budget_usd, BudgetPeriod(row.budget_period))
        return cls(row.tenant, budget, row.max_active_jobs)


class TenantStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._session = async_sessionmaker(engine, expire_on_commit=False)

    async def get(self, tenant: str) -> TenantPolicy | None:
        async with self._session() as s:
            row = await s.get(TenantRow, tenant)
        return TenantPolicy.from_row(row) if row else None

    async def list(self) -> list[TenantPolicy]:
        async with self._session() as s:
            return [
                TenantPolicy.from_row(r)
                for r in await s.scalars(select(TenantRow).order_by(TenantRow.tenant))
            ]

    async def put(self, tenant: str, **fields: Any) -> TenantPolicy:
        """Set the given fields (budget_usd, budget_period, max_active_jobs; None clears one)."""
        async with self._session.begin() as s:
            row = await s.get(TenantRow, tenant)
            if row is None:
                row = TenantRow(tenant=tenant, updated_at=time.time())
                s.add(row)
            for name, value in fields.items():
                setattr(row, name, value)
            row.updated_at = time.time()
        return TenantPolicy.from_row(row)
