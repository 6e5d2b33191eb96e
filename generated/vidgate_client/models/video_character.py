from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.video_character_object import VideoCharacterObject
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.bifrost_response_extra_fields import BifrostResponseExtraFields


T = TypeVar("T", bound="VideoCharacter")


@_attrs_define
class VideoCharacter:
    """
    Attributes:
        id (str):  Example: char_01JD3Z8Q7W6X5V4T3S2R1P0N9M.
        object_ (VideoCharacterObject):
        name (str):  Example: Captain Paper.
        created_at (int): Unix seconds.
        provider (str | Unset):  Example: local.
        extra_fields (BifrostResponseExtraFields | Unset):
    """

    id: str
    object_: VideoCharacterObject
    name: str
    created_at: int
    provider: str | Unset = UNSET
    extra_fields: BifrostResponseExtraFields | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        object_ = self.object_.value

        name = self.name

        created_at = self.created_at

        provider = self.provider

        extra_fields: dict[str, Any] | Unset = UNSET
        if not isinstance(self.extra_fields, Unset):
            extra_fields = self.extra_fields.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "object": object_,
                "name": name,
                "created_at": created_at,
            }
        )
        if provider is not UNSET:
            field_dict["provider"] = provider
        if extra_fields is not UNSET:
            field_dict["extra_fields"] = extra_fields

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.bifrost_response_extra_fields import BifrostResponseExtraFields  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        object_ = VideoCharacterObject(d.pop("object"))

        name = d.pop("name")

        created_at = d.pop("created_at")

        provider = d.pop("provider", UNSET)

        _extra_fields = d.pop("extra_fields", UNSET)
        extra_fields: BifrostResponseExtraFields | Unset
        if isinstance(_extra_fields, Unset):
            extra_fields = UNSET
        else:
            extra_fields = BifrostResponseExtraFields.from_dict(_extra_fields)

        video_character = cls(
            id=id,
            object_=object_,
            name=name,
            created_at=created_at,
            provider=provider,
            extra_fields=extra_fields,
        )

        video_character.additional_properties = d
        return video_character

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
