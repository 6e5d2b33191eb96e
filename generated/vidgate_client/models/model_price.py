from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.model_price_currency import ModelPriceCurrency
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.model_price_per_second import ModelPricePerSecond
    from ..models.model_price_per_second_with_audio import ModelPricePerSecondWithAudio


T = TypeVar("T", bound="ModelPrice")


@_attrs_define
class ModelPrice:
    """USD per output second by resolution tier: the short side of the size (`720p`, `1080p`, `4k`),
    `*` for any. Where a soundtrack costs more, `per_second_with_audio` applies to jobs with audio.

        Attributes:
            currency (ModelPriceCurrency):
            per_second (ModelPricePerSecond):
            source (str):
            as_of (str):
            per_second_with_audio (ModelPricePerSecondWithAudio | Unset):
            note (str | Unset):
    """

    currency: ModelPriceCurrency
    per_second: ModelPricePerSecond
    source: str
    as_of: str
    per_second_with_audio: ModelPricePerSecondWithAudio | Unset = UNSET
    note: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        currency = self.currency.value

        per_second = self.per_second.to_dict()

        source = self.source

        as_of = self.as_of

        per_second_with_audio: dict[str, Any] | Unset = UNSET
        if not isinstance(self.per_second_with_audio, Unset):
            per_second_with_audio = self.per_second_with_audio.to_dict()

        note = self.note

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "currency": currency,
                "per_second": per_second,
                "source": source,
                "as_of": as_of,
            }
        )
        if per_second_with_audio is not UNSET:
            field_dict["per_second_with_audio"] = per_second_with_audio
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.model_price_per_second import ModelPricePerSecond  # noqa: PLC0415
        from ..models.model_price_per_second_with_audio import ModelPricePerSecondWithAudio  # noqa: PLC0415

        d = dict(src_dict)
        currency = ModelPriceCurrency(d.pop("currency"))

        per_second = ModelPricePerSecond.from_dict(d.pop("per_second"))

        source = d.pop("source")

        as_of = d.pop("as_of")

        _per_second_with_audio = d.pop("per_second_with_audio", UNSET)
        per_second_with_audio: ModelPricePerSecondWithAudio | Unset
        if isinstance(_per_second_with_audio, Unset):
            per_second_with_audio = UNSET
        else:
            per_second_with_audio = ModelPricePerSecondWithAudio.from_dict(_per_second_with_audio)

        note = d.pop("note", UNSET)

        model_price = cls(
            currency=currency,
            per_second=per_second,
            source=source,
            as_of=as_of,
            per_second_with_audio=per_second_with_audio,
            note=note,
        )

        model_price.additional_properties = d
        return model_price

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
