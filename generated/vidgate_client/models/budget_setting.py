from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.budget_setting_period import BudgetSettingPeriod

T = TypeVar("T", bound="BudgetSetting")


@_attrs_define
class BudgetSetting:
    """A budget in US dollars per calendar period (UTC).

    Example:
        {'usd': 50, 'period': 'month'}

    Attributes:
        usd (float):
        period (BudgetSettingPeriod):
    """

    usd: float
    period: BudgetSettingPeriod

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

        period = BudgetSettingPeriod(d.pop("period"))

        budget_setting = cls(
            usd=usd,
            period=period,
        )

        return budget_setting
