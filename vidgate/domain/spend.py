"""Spend in dollars: budgets per key and per tenant over a calendar period (UTC), and the
reservations a job holds against them from its creation until it completes or fails."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class BudgetPeriod(StrEnum):
    DAY = "day"
    MONTH = "month"


def period_key(period: BudgetPeriod, at: dt.datetime) -> str:
    """The counter a moment belongs to: `month:2026-11` or `day:2026-11-29` (UTC)."""
    at = at.astimezone(dt.UTC)
    return f"month:{at:%Y-%m}" if period == BudgetPeriod.MONTH else f"day:{at:%Y-%m-%d}"


def period_reset(period: BudgetPeriod, at: dt.datetime) -> dt.datetime:
    """When the period that holds `at` ends (and a new budget starts)."""
    at = at.astimezone(dt.UTC)
    if period == BudgetPeriod.DAY:
        return dt.datetime(at.year, at.month, at.day, tzinfo=dt.UTC) + dt.timedelta(days=1)
    year, month = (at.year + 1, 1) if at.month == 12 else (at.year, at.month + 1)
    return dt.datetime(year, month, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Budget:
    limit_usd: float
    period: BudgetPeriod


@dataclass(frozen=True)
class Reservation:
    """What a job holds against one budget counter until it settles."""

    scope: str  # "key" | "tenant"
    scope_id: str
    period: str  # the period_key
    limit_usd: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "scope": self.scope,
            "scope_id": self.scope_id,
            "period": self.period,
            "limit_usd": self.limit_usd,
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Reservation:
        return cls(str(raw["scope"]), str(raw["scope_id"]), str(raw["period"]), float(raw["limit_usd"]))


@dataclass(frozen=True)
class SpendStatus:
    """One budget's state in its current period."""

    scope: str
    scope_id: str
    budget: Budget
    spent_usd: float
    reserved_usd: float
    resets_at: dt.datetime

    @property
    def remaining_usd(self) -> float:
        return max(0.0, round(self.budget.limit_usd - self.spent_usd - self.reserved_usd, 6))
