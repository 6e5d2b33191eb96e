from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.video_delete_response_object import VideoDeleteResponseObject
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.bifrost_response_extra_fields import BifrostResponseExtraFields


T = TypeVar("T", bound="VideoDeleteResponse")


@_attrs_define
class VideoDeleteResponse:
    """
    Attributes:
        id (str):
        object_ (VideoDeleteResponseObject):
        deleted (bool):
        extra_fields (BifrostResponseExtraFields | Unset):
    """

    id: str
    object_: VideoDeleteResponseObject
    deleted: bool
    extra_fields: BifrostResponseExtraFields | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        object_ = self.object_.value

        deleted = self.deleted

        extra_fields: dict[str, Any] | Unset = UNSET
        if not isinstance(self.extra_fields, Unset):
            extra_fields = self.extra_fields.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "object": object_,
                "deleted": deleted,
            }
        )
        if extra_fields is not UNSET:
            field_dict["extra_fields"] = extra_fields

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.bifrost_response_extra_fields import BifrostResponseExtraFields  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        object_ = VideoDeleteResponseObject(d.pop("object"))

        deleted = d.pop("deleted")

        _extra_fields = d.pop("extra_fields", UNSET)
        extra_fields: BifrostResponseExtraFields | Unset
        if isinstance(_extra_fields, Unset):
            extra_fields = UNSET
        else:
            extra_fields = BifrostResponseExtraFields.from_dict(_extra_fields)

        video_delete_response = cls(
            id=id,
            object_=object_,
            deleted=deleted,
            extra_fields=extra_fields,
        )

        video_delete_response.additional_properties = d
        return video_delete_response

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
