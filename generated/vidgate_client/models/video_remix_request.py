from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.fallback import Fallback


T = TypeVar("T", bound="VideoRemixRequest")


@_attrs_define
class VideoRemixRequest:
    """
    Attributes:
        prompt (str):  Example: The same scene, but at night under a full moon.
        fallbacks (list[Fallback] | Unset):
    """

    prompt: str
    fallbacks: list[Fallback] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        prompt = self.prompt

        fallbacks: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.fallbacks, Unset):
            fallbacks = []
            for fallbacks_item_data in self.fallbacks:
                fallbacks_item = fallbacks_item_data.to_dict()
                fallbacks.append(fallbacks_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "prompt": prompt,
            }
        )
        if fallbacks is not UNSET:
            field_dict["fallbacks"] = fallbacks

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.fallback import Fallback  # noqa: PLC0415

        d = dict(src_dict)
        prompt = d.pop("prompt")

        _fallbacks = d.pop("fallbacks", UNSET)
        fallbacks: list[Fallback] | Unset = UNSET
        if _fallbacks is not UNSET:
            fallbacks = []
            for fallbacks_item_data in _fallbacks:
                fallbacks_item = Fallback.from_dict(fallbacks_item_data)

                fallbacks.append(fallbacks_item)

        video_remix_request = cls(
            prompt=prompt,
            fallbacks=fallbacks,
        )

        return video_remix_request
