from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import types
from ..types import UNSET, File, FileTypes, Unset

T = TypeVar("T", bound="OpenAIVideoCreateForm")


@_attrs_define
class OpenAIVideoCreateForm:
    """What the OpenAI SDK sends (always multipart; every value a string).

    Attributes:
        prompt (str):
        model (str | Unset): `provider/model`, or a name the gateway's model aliases map (`sora-2`, which OpenAI
            retired); absent, the gateway's default model.
        seconds (str | Unset):
        size (str | Unset):
        input_reference (File | Unset): A reference image (PNG, JPEG or WebP).
        charactersid (str | Unset): A character to cast: what the SDK sends for `extra_body={"characters": [{"id":
            ...}]}`
            (one in a form; JSON takes up to three).
    """

    prompt: str
    model: str | Unset = UNSET
    seconds: str | Unset = UNSET
    size: str | Unset = UNSET
    input_reference: File | Unset = UNSET
    charactersid: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        prompt = self.prompt

        model = self.model

        seconds = self.seconds

        size = self.size

        input_reference: FileTypes | Unset = UNSET
        if not isinstance(self.input_reference, Unset):
            input_reference = self.input_reference.to_tuple()

        charactersid = self.charactersid

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "prompt": prompt,
            }
        )
        if model is not UNSET:
            field_dict["model"] = model
        if seconds is not UNSET:
            field_dict["seconds"] = seconds
        if size is not UNSET:
            field_dict["size"] = size
        if input_reference is not UNSET:
            field_dict["input_reference"] = input_reference
        if charactersid is not UNSET:
            field_dict["characters[][id]"] = charactersid

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("prompt", (None, str(self.prompt).encode(), "text/plain")))

        if not isinstance(self.model, Unset):
            files.append(("model", (None, str(self.model).encode(), "text/plain")))

        if not isinstance(self.seconds, Unset):
            files.append(("seconds", (None, str(self.seconds).encode(), "text/plain")))

        if not isinstance(self.size, Unset):
            files.append(("size", (None, str(self.size).encode(), "text/plain")))

        if not isinstance(self.input_reference, Unset):
            files.append(("input_reference", self.input_reference.to_tuple()))

        if not isinstance(self.charactersid, Unset):
            files.append(("characters[][id]", (None, str(self.charactersid).encode(), "text/plain")))

        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        prompt = d.pop("prompt")

        model = d.pop("model", UNSET)

        seconds = d.pop("seconds", UNSET)

        size = d.pop("size", UNSET)

        _input_reference = d.pop("input_reference", UNSET)
        input_reference: File | Unset
        if isinstance(_input_reference, Unset):
            input_reference = UNSET
        else:
            input_reference = File(payload=BytesIO(_input_reference))

        charactersid = d.pop("characters[][id]", UNSET)

        open_ai_video_create_form = cls(
            prompt=prompt,
            model=model,
            seconds=seconds,
            size=size,
            input_reference=input_reference,
            charactersid=charactersid,
        )

        open_ai_video_create_form.additional_properties = d
        return open_ai_video_create_form

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
