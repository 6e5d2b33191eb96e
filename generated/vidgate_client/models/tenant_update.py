from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.budget_change_type_0 import BudgetChangeType0


T = TypeVar("T", bound="TenantUpdate")


@_attrs_define
class TenantUpdate:
    """The fields to change; `null` removes the budget or the tenant's own job limit.

    Example:
        {'budget': {'usd': 1000, 'period': 'month'}}

    Attributes:
        max_active_jobs (int | None | Unset):
        budget (BudgetChangeType0 | None | Unset): A budget to set, or `null` to remove it.
    """

    max_active_jobs: int | None | Unset = UNSET
    budget: BudgetChangeType0 | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.budget_change_type_0 import BudgetChangeType0  # noqa: PLC0415

        max_active_jobs: int | None | Unset
        if isinstance(self.max_active_jobs, Unset):
            max_active_jobs = UNSET
        else:
            max_active_jobs = self.max_active_jobs

        budget: dict[str, Any] | None | Unset
        if isinstance(self.budget, Unset):
            budget = UNSET
        elif isinstance(self.budget, BudgetChangeType0):
            budget = self.budget.to_dict()
        else:
            budget = self.budget

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if max_active_jobs is not UNSET:
            field_dict["max_active_jobs"] = max_active_jobs
        if budget is not UNSET:
            field_dict["budget"] = budget

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.budget_change_type_0 import BudgetChangeType0  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_max_active_jobs(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_active_jobs = _parse_max_active_jobs(d.pop("max_active_jobs", UNSET))

        def _parse_budget(data: object) -> BudgetChangeType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_budget_change_type_0 = BudgetChangeType0.from_dict(data)

                return componentsschemas_budget_change_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BudgetChangeType0 | None | Unset, data)

        budget = _parse_budget(d.pop("budget", UNSET))

        tenant_update = cls(
            max_active_jobs=max_active_jobs,
            budget=budget,
        )

        return tenant_update
