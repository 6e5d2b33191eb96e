from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import types
from ..types import UNSET, File, Unset

T = TypeVar("T", bound="VideoExtendForm")


@_attrs_define
class VideoExtendForm:
    """Extend an uploaded video (MP4, WebM or MOV; decoded and checked by the gateway).

    Attributes:
        prompt (str):
        seconds (str):
        video (File):
        model (str | Unset): Who extends the upload (default the gateway's default model).
    """

    prompt: str
    seconds: str
    video: File
    model: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        prompt = self.prompt

        seconds = self.seconds

        video = self.video.to_tuple()

        model = self.model

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
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

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("prompt", (None, str(self.prompt).encode(), "text/plain")))

        files.append(("seconds", (None, str(self.seconds).encode(), "text/plain")))

        files.append(("video", self.video.to_tuple()))

        if not isinstance(self.model, Unset):
            files.append(("model", (None, str(self.model).encode(), "text/plain")))

        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        prompt = d.pop("prompt")

        seconds = d.pop("seconds")

        video = File(payload=BytesIO(d.pop("video")))

        model = d.pop("model", UNSET)

        video_extend_form = cls(
            prompt=prompt,
            seconds=seconds,
            video=video,
            model=model,
        )

        video_extend_form.additional_properties = d
        return video_extend_form

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
