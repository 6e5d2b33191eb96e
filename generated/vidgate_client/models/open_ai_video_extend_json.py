from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.open_ai_video_reference import OpenAIVideoReference


T = TypeVar("T", bound="OpenAIVideoExtendJson")


@_attrs_define
class OpenAIVideoExtendJson:
    """
    Attributes:
        prompt (str):
        seconds (str): Length of the new segment (OpenAI takes 4, 8, 12, 16 and 20).
        video (OpenAIVideoReference): A completed video of the caller's, by its id (`id:provider`). Example: {'id':
            'video_01JD3Z8Q7W6X5V4T3S2R1P0N9M:local'}.
        model (str | Unset): Who does it (`provider/model`); default: a source video's own model, or for an upload the
            gateway's default model.
    """

    prompt: str
    seconds: str
    video: OpenAIVideoReference
    model: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        prompt = self.prompt

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
        from ..models.open_ai_video_reference import OpenAIVideoReference  # noqa: PLC0415

        d = dict(src_dict)
        prompt = d.pop("prompt")

        seconds = d.pop("seconds")

        video = OpenAIVideoReference.from_dict(d.pop("video"))

        model = d.pop("model", UNSET)

        open_ai_video_extend_json = cls(
            prompt=prompt,
            seconds=seconds,
            video=video,
            model=model,
        )

        return open_ai_video_extend_json
