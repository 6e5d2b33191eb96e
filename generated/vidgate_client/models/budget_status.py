from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.budget_status_period import BudgetStatusPeriod
from ..models.budget_status_scope import BudgetStatusScope
from ..types import UNSET, Unset

T = TypeVar("T", bound="BudgetStatus")


@_attrs_define
class BudgetStatus:
    """A budget in its current period (UTC): what it allows, what was spent, what jobs in progress hold.

    Attributes:
        scope (BudgetStatusScope):
        period (BudgetStatusPeriod):
        limit_usd (float):
        spent_usd (float):
        reserved_usd (float):
        remaining_usd (float):
        resets_at (datetime.datetime):
        key_id (str | Unset):
        tenant (str | Unset):
    """

    scope: BudgetStatusScope
    period: BudgetStatusPeriod
    limit_usd: float
    spent_usd: float
    reserved_usd: float
    remaining_usd: float
    resets_at: datetime.datetime
    key_id: str | Unset = UNSET
    tenant: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        scope = self.scope.value

        period = self.period.value

        limit_usd = self.limit_usd

        spent_usd = self.spent_usd

        reserved_usd = self.reserved_usd

        remaining_usd = self.remaining_usd

        resets_at = self.resets_at.isoformat()

        key_id = self.key_id

        tenant = self.tenant

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "scope": scope,
                "period": period,
                "limit_usd": limit_usd,
                "spent_usd": spent_usd,
                "reserved_usd": reserved_usd,
                "remaining_usd": remaining_usd,
                "resets_at": resets_at,
            }
        )
        if key_id is not UNSET:
            field_dict["key_id"] = key_id
        if tenant is not UNSET:
            field_dict["tenant"] = tenant

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        scope = BudgetStatusScope(d.pop("scope"))

        period = BudgetStatusPeriod(d.pop("period"))

        limit_usd = d.pop("limit_usd")

        spent_usd = d.pop("spent_usd")

        reserved_usd = d.pop("reserved_usd")

        remaining_usd = d.pop("remaining_usd")

        resets_at = datetime.datetime.fromisoformat(d.pop("resets_at"))

        key_id = d.pop("key_id", UNSET)

        tenant = d.pop("tenant", UNSET)

        budget_status = cls(
            scope=scope,
            period=period,
            limit_usd=limit_usd,
            spent_usd=spent_usd,
            reserved_usd=reserved_usd,
            remaining_usd=remaining_usd,
            resets_at=resets_at,
            key_id=key_id,
            tenant=tenant,
        )

        budget_status.additional_properties = d
        return budget_status

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
