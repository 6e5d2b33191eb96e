from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="OpenAIVideoReference")


@_attrs_define
class OpenAIVideoReference:
    """A completed video of the caller's, by its id (`id:provider`).

    Example:
        {'id': 'video_01JD3Z8Q7W6X5V4T3S2R1P0N9M:local'}

    Attributes:
        id (str):
    """

    id: str

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        open_ai_video_reference = cls(
            id=id,
        )

        return open_ai_video_reference
