from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.video_list_response_object import VideoListResponseObject
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.bifrost_response_extra_fields import BifrostResponseExtraFields
    from ..models.video_object import VideoObject


T = TypeVar("T", bound="VideoListResponse")


@_attrs_define
class VideoListResponse:
    """
    Attributes:
        object_ (VideoListResponseObject):
        data (list[VideoObject]):
        has_more (bool):
        first_id (str | Unset):
        last_id (str | Unset):
        extra_fields (BifrostResponseExtraFields | Unset):
    """

    object_: VideoListResponseObject
    data: list[VideoObject]
    has_more: bool
    first_id: str | Unset = UNSET
    last_id: str | Unset = UNSET
    extra_fields: BifrostResponseExtraFields | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        object_ = self.object_.value

        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        has_more = self.has_more

        first_id = self.first_id

        last_id = self.last_id

        extra_fields: dict[str, Any] | Unset = UNSET
        if not isinstance(self.extra_fields, Unset):
            extra_fields = self.extra_fields.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "object": object_,
                "data": data,
                "has_more": has_more,
            }
        )
        if first_id is not UNSET:
            field_dict["first_id"] = first_id
        if last_id is not UNSET:
            field_dict["last_id"] = last_id
        if extra_fields is not UNSET:
            field_dict["extra_fields"] = extra_fields

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.bifrost_response_extra_fields import BifrostResponseExtraFields  # noqa: PLC0415
        from ..models.video_object import VideoObject  # noqa: PLC0415

        d = dict(src_dict)
        object_ = VideoListResponseObject(d.pop("object"))

        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = VideoObject.from_dict(data_item_data)

            data.append(data_item)

        has_more = d.pop("has_more")

        first_id = d.pop("first_id", UNSET)

        last_id = d.pop("last_id", UNSET)

        _extra_fields = d.pop("extra_fields", UNSET)
        extra_fields: BifrostResponseExtraFields | Unset
        if isinstance(_extra_fields, Unset):
            extra_fields = UNSET
        else:
            extra_fields = BifrostResponseExtraFields.from_dict(_extra_fields)

        video_list_response = cls(
            object_=object_,
            data=data,
            has_more=has_more,
            first_id=first_id,
            last_id=last_id,
            extra_fields=extra_fields,
        )

        video_list_response.additional_properties = d
        return video_list_response

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
