from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.spend_report_object import SpendReportObject
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.usage_row import UsageRow


T = TypeVar("T", bound="SpendReport")


@_attrs_define
class SpendReport:
    """
    Attributes:
        object_ (SpendReportObject):
        since (int):
        total_cost_usd (float):
        total_seconds (int):
        data (list[UsageRow]):
        until (int | Unset):
    """

    object_: SpendReportObject
    since: int
    total_cost_usd: float
    total_seconds: int
    data: list[UsageRow]
    until: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        object_ = self.object_.value

        since = self.since

        total_cost_usd = self.total_cost_usd

        total_seconds = self.total_seconds

        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        until = self.until

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "object": object_,
                "since": since,
                "total_cost_usd": total_cost_usd,
                "total_seconds": total_seconds,
                "data": data,
            }
        )
        if until is not UNSET:
            field_dict["until"] = until

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.usage_row import UsageRow  # noqa: PLC0415

        d = dict(src_dict)
        object_ = SpendReportObject(d.pop("object"))

        since = d.pop("since")

        total_cost_usd = d.pop("total_cost_usd")

        total_seconds = d.pop("total_seconds")

        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = UsageRow.from_dict(data_item_data)

            data.append(data_item)

        until = d.pop("until", UNSET)

        spend_report = cls(
            object_=object_,
            since=since,
            total_cost_usd=total_cost_usd,
            total_seconds=total_seconds,
            data=data,
            until=until,
        )

        spend_report.additional_properties = d
        return spend_report

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
