from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import types
from ..types import UNSET, File, FileTypes, Unset

T = TypeVar("T", bound="VideoGenerationForm")


@_attrs_define
class VideoGenerationForm:
    """The same request as multipart/form-data (what OpenAI SDKs send); an image file may be uploaded as `input_reference`.

    Attributes:
        model (str):
        prompt (str):
        seconds (str | Unset):
        size (str | Unset):
        negative_prompt (str | Unset):
        seed (int | Unset):
        audio (bool | Unset):
        input_reference (File | Unset):
        charactersid (str | Unset): One character of the caller's to cast, by id (JSON takes up to three).
    """

    model: str
    prompt: str
    seconds: str | Unset = UNSET
    size: str | Unset = UNSET
    negative_prompt: str | Unset = UNSET
    seed: int | Unset = UNSET
    audio: bool | Unset = UNSET
    input_reference: File | Unset = UNSET
    charactersid: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        model = self.model

        prompt = self.prompt

        seconds = self.seconds

        size = self.size

        negative_prompt = self.negative_prompt

        seed = self.seed

        audio = self.audio

        input_reference: FileTypes | Unset = UNSET
        if not isinstance(self.input_reference, Unset):
            input_reference = self.input_reference.to_tuple()

        charactersid = self.charactersid

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "model": model,
                "prompt": prompt,
            }
        )
        if seconds is not UNSET:
            field_dict["seconds"] = seconds
        if size is not UNSET:
            field_dict["size"] = size
        if negative_prompt is not UNSET:
            field_dict["negative_prompt"] = negative_prompt
        if seed is not UNSET:
            field_dict["seed"] = seed
        if audio is not UNSET:
            field_dict["audio"] = audio
        if input_reference is not UNSET:
            field_dict["input_reference"] = input_reference
        if charactersid is not UNSET:
            field_dict["characters[][id]"] = charactersid

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("model", (None, str(self.model).encode(), "text/plain")))

        files.append(("prompt", (None, str(self.prompt).encode(), "text/plain")))

        if not isinstance(self.seconds, Unset):
            files.append(("seconds", (None, str(self.seconds).encode(), "text/plain")))

        if not isinstance(self.size, Unset):
            files.append(("size", (None, str(self.size).encode(), "text/plain")))

        if not isinstance(self.negative_prompt, Unset):
            files.append(("negative_prompt", (None, str(self.negative_prompt).encode(), "text/plain")))

        if not isinstance(self.seed, Unset):
            files.append(("seed", (None, str(self.seed).encode(), "text/plain")))

        if not isinstance(self.audio, Unset):
            files.append(("audio", (None, str(self.audio).encode(), "text/plain")))

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
        model = d.pop("model")

        prompt = d.pop("prompt")

        seconds = d.pop("seconds", UNSET)

        size = d.pop("size", UNSET)

        negative_prompt = d.pop("negative_prompt", UNSET)

        seed = d.pop("seed", UNSET)

        audio = d.pop("audio", UNSET)

        _input_reference = d.pop("input_reference", UNSET)
        input_reference: File | Unset
        if isinstance(_input_reference, Unset):
            input_reference = UNSET
        else:
            input_reference = File(payload=BytesIO(_input_reference))

        charactersid = d.pop("characters[][id]", UNSET)

        video_generation_form = cls(
            model=model,
            prompt=prompt,
            seconds=seconds,
            size=size,
            negative_prompt=negative_prompt,
            seed=seed,
            audio=audio,
            input_reference=input_reference,
            charactersid=charactersid,
        )

        video_generation_form.additional_properties = d
        return video_generation_form

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
