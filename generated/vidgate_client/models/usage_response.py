from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.usage_response_object import UsageResponseObject

if TYPE_CHECKING:
    from ..models.budget_status import BudgetStatus
    from ..models.usage_row import UsageRow


T = TypeVar("T", bound="UsageResponse")


@_attrs_define
class UsageResponse:
    """
    Attributes:
        object_ (UsageResponseObject):
        since (int):
        total_seconds (int):
        total_cost_usd (float):
        data (list[UsageRow]):
        budgets (list[BudgetStatus]): The budgets the caller's jobs count against (its key's, its tenant's), if any.
    """

    object_: UsageResponseObject
    since: int
    total_seconds: int
    total_cost_usd: float
    data: list[UsageRow]
    budgets: list[BudgetStatus]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        object_ = self.object_.value

        since = self.since

        total_seconds = self.total_seconds

        total_cost_usd = self.total_cost_usd

        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        budgets = []
        for budgets_item_data in self.budgets:
            budgets_item = budgets_item_data.to_dict()
            budgets.append(budgets_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "object": object_,
                "since": since,
                "total_seconds": total_seconds,
                "total_cost_usd": total_cost_usd,
                "data": data,
                "budgets": budgets,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.budget_status import BudgetStatus  # noqa: PLC0415
        from ..models.usage_row import UsageRow  # noqa: PLC0415

        d = dict(src_dict)
        object_ = UsageResponseObject(d.pop("object"))

        since = d.pop("since")

        total_seconds = d.pop("total_seconds")

        total_cost_usd = d.pop("total_cost_usd")

        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = UsageRow.from_dict(data_item_data)

            data.append(data_item)

        budgets = []
        _budgets = d.pop("budgets")
        for budgets_item_data in _budgets:
            budgets_item = BudgetStatus.from_dict(budgets_item_data)

            budgets.append(budgets_item)

        usage_response = cls(
            object_=object_,
            since=since,
            total_seconds=total_seconds,
            total_cost_usd=total_cost_usd,
            data=data,
            budgets=budgets,
        )

        usage_response.additional_properties = d
        return usage_response

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
