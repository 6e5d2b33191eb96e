from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.video_source_reference import VideoSourceReference


T = TypeVar("T", bound="VideoEditRequest")


@_attrs_define
class VideoEditRequest:
    """Edit a completed video of the caller's, named by id.

    Attributes:
        prompt (str): How the edited video should differ. Example: The same scene, in autumn colours.
        video (VideoSourceReference): One of the caller's videos (`id:provider`) or characters (`char_...`), by id.
            Example: {'id': 'video_01JD3Z8Q7W6X5V4T3S2R1P0N9M:local'}.
        model (str | Unset): Who does it (e.g. `runway/aleph2`); default: the source video's own model.
    """

    prompt: str
    video: VideoSourceReference
    model: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        prompt = self.prompt

        video = self.video.to_dict()

        model = self.model

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "prompt": prompt,
                "video": video,
            }
        )
        if model is not UNSET:
            field_dict["model"] = model

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.video_source_reference import VideoSourceReference  # noqa: PLC0415

        d = dict(src_dict)
        prompt = d.pop("prompt")

        video = VideoSourceReference.from_dict(d.pop("video"))

        model = d.pop("model", UNSET)

        video_edit_request = cls(
            prompt=prompt,
            video=video,
            model=model,
        )

        return video_edit_request
