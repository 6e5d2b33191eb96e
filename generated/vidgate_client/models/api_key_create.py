from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.budget_setting import BudgetSetting


T = TypeVar("T", bound="ApiKeyCreate")


@_attrs_define
class ApiKeyCreate:
    """
    Example:
        {'tenant': 'acme', 'name': 'ci', 'requests_per_minute': 60, 'max_active_jobs': 5, 'budget': {'usd': 50,
            'period': 'month'}}

    Attributes:
        tenant (str):
        name (str | Unset):  Default: 'default'.
        requests_per_minute (int | Unset):
        max_active_jobs (int | Unset):
        budget (BudgetSetting | Unset): A budget in US dollars per calendar period (UTC). Example: {'usd': 50, 'period':
            'month'}.
    """

    tenant: str
    name: str | Unset = "default"
    requests_per_minute: int | Unset = UNSET
    max_active_jobs: int | Unset = UNSET
    budget: BudgetSetting | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        tenant = self.tenant

        name = self.name

        requests_per_minute = self.requests_per_minute

        max_active_jobs = self.max_active_jobs

        budget: dict[str, Any] | Unset = UNSET
        if not isinstance(self.budget, Unset):
            budget = self.budget.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "tenant": tenant,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if requests_per_minute is not UNSET:
            field_dict["requests_per_minute"] = requests_per_minute
        if max_active_jobs is not UNSET:
            field_dict["max_active_jobs"] = max_active_jobs
        if budget is not UNSET:
            field_dict["budget"] = budget

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.budget_setting import BudgetSetting  # noqa: PLC0415

        d = dict(src_dict)
        tenant = d.pop("tenant")

        name = d.pop("name", UNSET)

        requests_per_minute = d.pop("requests_per_minute", UNSET)

        max_active_jobs = d.pop("max_active_jobs", UNSET)

        _budget = d.pop("budget", UNSET)
        budget: BudgetSetting | Unset
        if isinstance(_budget, Unset):
            budget = UNSET
        else:
            budget = BudgetSetting.from_dict(_budget)

        api_key_create = cls(
            tenant=tenant,
            name=name,
            requests_per_minute=requests_per_minute,
            max_active_jobs=max_active_jobs,
            budget=budget,
        )

        return api_key_create
