from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.video_source_reference import VideoSourceReference


T = TypeVar("T", bound="VideoExtendRequest")


@_attrs_define
class VideoExtendRequest:
    """Continue a completed video of the caller's for `seconds` more; the result is one video, the
    source and its continuation, and its `seconds` is the stitched total.

        Attributes:
            prompt (str): What happens next. Example: The boat drifts out of sight.
            seconds (int | str): Length of the new segment, 1 to 20 seconds (OpenAI takes 4, 8, 12, 16, 20). Example: 4.
            video (VideoSourceReference): One of the caller's videos (`id:provider`) or characters (`char_...`), by id.
                Example: {'id': 'video_01JD3Z8Q7W6X5V4T3S2R1P0N9M:local'}.
            model (str | Unset): Who does it (e.g. `runway/aleph2`); default: the source video's own model.
    """

    prompt: str
    seconds: int | str
    video: VideoSourceReference
    model: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        prompt = self.prompt

        seconds: int | str
        seconds = self.seconds

        video = self.video.to_dict()

        model = self.model

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "prompt": prompt,
                "seconds": seconds,
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

        def _parse_seconds(data: object) -> int | str:
            return cast(int | str, data)

        seconds = _parse_seconds(d.pop("seconds"))

        video = VideoSourceReference.from_dict(d.pop("video"))

        model = d.pop("model", UNSET)

        video_extend_request = cls(
            prompt=prompt,
            seconds=seconds,
            video=video,
            model=model,
        )

        return video_extend_request
