from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.budget_change_type_0_period import BudgetChangeType0Period

T = TypeVar("T", bound="BudgetChangeType0")


@_attrs_define
class BudgetChangeType0:
    """A budget to set, or `null` to remove it.

    Attributes:
        usd (float):
        period (BudgetChangeType0Period):
    """

    usd: float
    period: BudgetChangeType0Period

    def to_dict(self) -> dict[str, Any]:
        usd = self.usd

        period = self.period.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "usd": usd,
                "period": period,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        usd = d.pop("usd")

        period = BudgetChangeType0Period(d.pop("period"))

        budget_change_type_0 = cls(
            usd=usd,
            period=period,
        )

        return budget_change_type_0
