from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import types
from ..types import UNSET, File, FileTypes, Unset

T = TypeVar("T", bound="OpenAIVideoEditForm")


@_attrs_define
class OpenAIVideoEditForm:
    """What the OpenAI SDK's `videos.edit` sends (always multipart): the source video uploaded as
    `video`, or a completed video of the caller's as `video[id]`.

        Attributes:
            prompt (str):
            model (str | Unset): Who does it (`provider/model`); default: a source video's own model, or for an upload the
                gateway's default model.
            video (File | Unset): The source video (MP4, WebM or MOV), decoded and checked by the gateway.
            videoid (str | Unset): A completed video of the caller's (`id:provider`), instead of an upload.
    """

    prompt: str
    model: str | Unset = UNSET
    video: File | Unset = UNSET
    videoid: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        prompt = self.prompt

        model = self.model

        video: FileTypes | Unset = UNSET
        if not isinstance(self.video, Unset):
            video = self.video.to_tuple()

        videoid = self.videoid

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "prompt": prompt,
            }
        )
        if model is not UNSET:
            field_dict["model"] = model
        if video is not UNSET:
            field_dict["video"] = video
        if videoid is not UNSET:
            field_dict["video[id]"] = videoid

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("prompt", (None, str(self.prompt).encode(), "text/plain")))

        if not isinstance(self.model, Unset):
            files.append(("model", (None, str(self.model).encode(), "text/plain")))

        if not isinstance(self.video, Unset):
            files.append(("video", self.video.to_tuple()))

        if not isinstance(self.videoid, Unset):
            files.append(("video[id]", (None, str(self.videoid).encode(), "text/plain")))

        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        prompt = d.pop("prompt")

        model = d.pop("model", UNSET)

        _video = d.pop("video", UNSET)
        video: File | Unset
        if isinstance(_video, Unset):
            video = UNSET
        else:
            video = File(payload=BytesIO(_video))

        videoid = d.pop("video[id]", UNSET)

        open_ai_video_edit_form = cls(
            prompt=prompt,
            model=model,
            video=video,
            videoid=videoid,
        )

        open_ai_video_edit_form.additional_properties = d
        return open_ai_video_edit_form

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
