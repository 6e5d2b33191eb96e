from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="OpenAIImageReference")


@_attrs_define
class OpenAIImageReference:
    """A reference image by URL: `image_url` is an http(s) URL (fetched by the gateway, public hosts
    only) or a base64 data URL. `file_id` (OpenAI's Files API) is refused with a 400
    `file_id_not_supported`: this gateway has no Files API.

        Example:
            {'image_url': 'https://example.com/first-frame.png'}

        Attributes:
            image_url (str | Unset):
            file_id (str | Unset):
    """

    image_url: str | Unset = UNSET
    file_id: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        image_url = self.image_url

        file_id = self.file_id

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if image_url is not UNSET:
            field_dict["image_url"] = image_url
        if file_id is not UNSET:
            field_dict["file_id"] = file_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        image_url = d.pop("image_url", UNSET)

        file_id = d.pop("file_id", UNSET)

        open_ai_image_reference = cls(
            image_url=image_url,
            file_id=file_id,
        )

        return open_ai_image_reference
