from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.video_source_reference import VideoSourceReference


T = TypeVar("T", bound="VideoCharacterRequest")


@_attrs_define
class VideoCharacterRequest:
    """A named character from a completed video of the caller's.

    Attributes:
        name (str):  Example: Captain Paper.
        video (VideoSourceReference): One of the caller's videos (`id:provider`) or characters (`char_...`), by id.
            Example: {'id': 'video_01JD3Z8Q7W6X5V4T3S2R1P0N9M:local'}.
    """

    name: str
    video: VideoSourceReference

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        video = self.video.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "video": video,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.video_source_reference import VideoSourceReference  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        video = VideoSourceReference.from_dict(d.pop("video"))

        video_character_request = cls(
            name=name,
            video=video,
        )

        return video_character_request
