from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.open_ai_character_reference import OpenAICharacterReference
    from ..models.open_ai_image_reference import OpenAIImageReference


T = TypeVar("T", bound="OpenAIVideoCreateJson")


@_attrs_define
class OpenAIVideoCreateJson:
    """
    Attributes:
        prompt (str):
        model (str | Unset):
        seconds (str | Unset):
        size (str | Unset):
        input_reference (OpenAIImageReference | Unset): A reference image by URL: `image_url` is an http(s) URL (fetched
            by the gateway, public hosts
            only) or a base64 data URL. `file_id` (OpenAI's Files API) is refused with a 400
            `file_id_not_supported`: this gateway has no Files API.
             Example: {'image_url': 'https://example.com/first-frame.png'}.
        characters (list[OpenAICharacterReference] | Unset): Characters (`POST /videos/characters`) to cast, by id; name
            them in the prompt too, as
            OpenAI advises.
    """

    prompt: str
    model: str | Unset = UNSET
    seconds: str | Unset = UNSET
    size: str | Unset = UNSET
    input_reference: OpenAIImageReference | Unset = UNSET
    characters: list[OpenAICharacterReference] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        prompt = self.prompt

        model = self.model

        seconds = self.seconds

        size = self.size

        input_reference: dict[str, Any] | Unset = UNSET
        if not isinstance(self.input_reference, Unset):
            input_reference = self.input_reference.to_dict()

        characters: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.characters, Unset):
            characters = []
            for characters_item_data in self.characters:
                characters_item = characters_item_data.to_dict()
                characters.append(characters_item)

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
        if characters is not UNSET:
            field_dict["characters"] = characters

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.open_ai_character_reference import OpenAICharacterReference  # noqa: PLC0415
        from ..models.open_ai_image_reference import OpenAIImageReference  # noqa: PLC0415

        d = dict(src_dict)
        prompt = d.pop("prompt")

        model = d.pop("model", UNSET)

        seconds = d.pop("seconds", UNSET)

        size = d.pop("size", UNSET)

        _input_reference = d.pop("input_reference", UNSET)
        input_reference: OpenAIImageReference | Unset
        if isinstance(_input_reference, Unset):
            input_reference = UNSET
        else:
            input_reference = OpenAIImageReference.from_dict(_input_reference)

        _characters = d.pop("characters", UNSET)
        characters: list[OpenAICharacterReference] | Unset = UNSET
        if _characters is not UNSET:
            characters = []
            for characters_item_data in _characters:
                characters_item = OpenAICharacterReference.from_dict(characters_item_data)

                characters.append(characters_item)

        open_ai_video_create_json = cls(
            prompt=prompt,
            model=model,
            seconds=seconds,
            size=size,
            input_reference=input_reference,
            characters=characters,
        )

        open_ai_video_create_json.additional_properties = d
        return open_ai_video_create_json

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
