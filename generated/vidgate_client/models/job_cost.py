from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="JobCost")


@_attrs_define
class JobCost:
    """What the video costs in US dollars: the catalog's price per output second for its model,
    resolution and audio, quoted when the job was created, times its seconds. `final` once the
    job completed (what it cost) or failed (nothing); until then, what it is expected to cost.
    Absent when the catalog has no price for the model.

        Example:
            {'usd': 3.2, 'final': True}

        Attributes:
            usd (float):
            final (bool):
    """

    usd: float
    final: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        usd = self.usd

        final = self.final

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "usd": usd,
                "final": final,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        usd = d.pop("usd")

        final = d.pop("final")

        job_cost = cls(
            usd=usd,
            final=final,
        )

        job_cost.additional_properties = d
        return job_cost

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
