from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.video_output_type import VideoOutputType
from ..types import UNSET, Unset

T = TypeVar("T", bound="VideoOutput")


@_attrs_define
class VideoOutput:
    """
    Attributes:
        type_ (VideoOutputType | Unset):
        url (str | Unset):
        base64 (str | Unset):
        content_type (str | Unset):  Example: video/mp4.
    """

    type_: VideoOutputType | Unset = UNSET
    url: str | Unset = UNSET
    base64: str | Unset = UNSET
    content_type: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_: str | Unset = UNSET
        if not isinstance(self.type_, Unset):
            type_ = self.type_.value

        url = self.url

        base64 = self.base64

        content_type = self.content_type

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if type_ is not UNSET:
            field_dict["type"] = type_
        if url is not UNSET:
            field_dict["url"] = url
        if base64 is not UNSET:
            field_dict["base64"] = base64
        if content_type is not UNSET:
            field_dict["content_type"] = content_type

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _type_ = d.pop("type", UNSET)
        type_: VideoOutputType | Unset
        if isinstance(_type_, Unset):
            type_ = UNSET
        else:
            type_ = VideoOutputType(_type_)

        url = d.pop("url", UNSET)

        base64 = d.pop("base64", UNSET)

        content_type = d.pop("content_type", UNSET)

        video_output = cls(
            type_=type_,
            url=url,
            base64=base64,
            content_type=content_type,
        )

        video_output.additional_properties = d
        return video_output

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
