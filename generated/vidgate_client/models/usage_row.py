from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="UsageRow")


@_attrs_define
class UsageRow:
    """Completed videos of one key, provider, model and day (UTC).

    Attributes:
        provider (str):
        model (str):
        day (datetime.date):
        seconds (int):
        videos (int):
        cost_usd (float): What those videos cost (0 for models the catalog has no price for).
        tenant (str | Unset): In the admin spend report; /v1/usage shows only the caller's tenant.
        key_id (str | Unset): The API key's id (`key_...`); never the key itself.
    """

    provider: str
    model: str
    day: datetime.date
    seconds: int
    videos: int
    cost_usd: float
    tenant: str | Unset = UNSET
    key_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        provider = self.provider

        model = self.model

        day = self.day.isoformat()

        seconds = self.seconds

        videos = self.videos

        cost_usd = self.cost_usd

        tenant = self.tenant

        key_id = self.key_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "provider": provider,
                "model": model,
                "day": day,
                "seconds": seconds,
                "videos": videos,
                "cost_usd": cost_usd,
            }
        )
        if tenant is not UNSET:
            field_dict["tenant"] = tenant
        if key_id is not UNSET:
            field_dict["key_id"] = key_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        provider = d.pop("provider")

        model = d.pop("model")

        day = datetime.date.fromisoformat(d.pop("day"))

        seconds = d.pop("seconds")

        videos = d.pop("videos")

        cost_usd = d.pop("cost_usd")

        tenant = d.pop("tenant", UNSET)

        key_id = d.pop("key_id", UNSET)

        usage_row = cls(
            provider=provider,
            model=model,
            day=day,
            seconds=seconds,
            videos=videos,
            cost_usd=cost_usd,
            tenant=tenant,
            key_id=key_id,
        )

        usage_row.additional_properties = d
        return usage_row

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
