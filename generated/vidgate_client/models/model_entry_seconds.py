from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ModelEntrySeconds")


@_attrs_define
class ModelEntrySeconds:
    """The durations it takes (`allowed`), or a range (`min`, `max`).

    Attributes:
        allowed (list[int] | Unset):
        min_ (int | Unset):
        max_ (int | Unset):
    """

    allowed: list[int] | Unset = UNSET
    min_: int | Unset = UNSET
    max_: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        allowed: list[int] | Unset = UNSET
        if not isinstance(self.allowed, Unset):
            allowed = self.allowed

        min_ = self.min_

        max_ = self.max_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if allowed is not UNSET:
            field_dict["allowed"] = allowed
        if min_ is not UNSET:
            field_dict["min"] = min_
        if max_ is not UNSET:
            field_dict["max"] = max_

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        allowed = cast(list[int], d.pop("allowed", UNSET))

        min_ = d.pop("min", UNSET)

        max_ = d.pop("max", UNSET)

        model_entry_seconds = cls(
            allowed=allowed,
            min_=min_,
            max_=max_,
        )

        model_entry_seconds.additional_properties = d
        return model_entry_seconds

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
