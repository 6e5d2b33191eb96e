from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.budget_setting import BudgetSetting
    from ..models.budget_status import BudgetStatus


T = TypeVar("T", bound="Tenant")


@_attrs_define
class Tenant:
    """
    Attributes:
        tenant (str):
        max_active_jobs (int | Unset): Queued + in-progress jobs at once (absent; the gateway's default applies).
        budget (BudgetSetting | Unset): A budget in US dollars per calendar period (UTC). Example: {'usd': 50, 'period':
            'month'}.
        spend (BudgetStatus | Unset): A budget in its current period (UTC): what it allows, what was spent, what jobs in
            progress hold.
    """

    tenant: str
    max_active_jobs: int | Unset = UNSET
    budget: BudgetSetting | Unset = UNSET
    spend: BudgetStatus | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        tenant = self.tenant

        max_active_jobs = self.max_active_jobs

        budget: dict[str, Any] | Unset = UNSET
        if not isinstance(self.budget, Unset):
            budget = self.budget.to_dict()

        spend: dict[str, Any] | Unset = UNSET
        if not isinstance(self.spend, Unset):
            spend = self.spend.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "tenant": tenant,
            }
        )
        if max_active_jobs is not UNSET:
            field_dict["max_active_jobs"] = max_active_jobs
        if budget is not UNSET:
            field_dict["budget"] = budget
        if spend is not UNSET:
            field_dict["spend"] = spend

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.budget_setting import BudgetSetting  # noqa: PLC0415
        from ..models.budget_status import BudgetStatus  # noqa: PLC0415

        d = dict(src_dict)
        tenant = d.pop("tenant")

        max_active_jobs = d.pop("max_active_jobs", UNSET)

        _budget = d.pop("budget", UNSET)
        budget: BudgetSetting | Unset
        if isinstance(_budget, Unset):
            budget = UNSET
        else:
            budget = BudgetSetting.from_dict(_budget)

        _spend = d.pop("spend", UNSET)
        spend: BudgetStatus | Unset
        if isinstance(_spend, Unset):
            spend = UNSET
        else:
            spend = BudgetStatus.from_dict(_spend)

        tenant = cls(
            tenant=tenant,
            max_active_jobs=max_active_jobs,
            budget=budget,
            spend=spend,
        )

        tenant.additional_properties = d
        return tenant

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
