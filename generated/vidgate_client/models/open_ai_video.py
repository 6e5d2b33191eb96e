from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.open_ai_video_object import OpenAIVideoObject
from ..models.open_ai_video_status import OpenAIVideoStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.open_ai_video_error_type_0 import OpenAIVideoErrorType0


T = TypeVar("T", bound="OpenAIVideo")


@_attrs_define
class OpenAIVideo:
    """
    Attributes:
        id (str):  Example: video_01JD3Z8Q7W6X5V4T3S2R1P0N9M:local.
        object_ (OpenAIVideoObject):
        model (str):  Example: local/default.
        status (OpenAIVideoStatus):
        progress (int):
        seconds (str):  Example: 4.
        size (str):  Example: 1280x720.
        created_at (int):
        prompt (None | str | Unset):
        completed_at (int | None | Unset):
        expires_at (int | None | Unset):
        remixed_from_video_id (None | str | Unset):
        error (None | OpenAIVideoErrorType0 | Unset):
    """

    id: str
    object_: OpenAIVideoObject
    model: str
    status: OpenAIVideoStatus
    progress: int
    seconds: str
    size: str
    created_at: int
    prompt: None | str | Unset = UNSET
    completed_at: int | None | Unset = UNSET
    expires_at: int | None | Unset = UNSET
    remixed_from_video_id: None | str | Unset = UNSET
    error: None | OpenAIVideoErrorType0 | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.open_ai_video_error_type_0 import OpenAIVideoErrorType0  # noqa: PLC0415

        id = self.id

        object_ = self.object_.value

        model = self.model

        status = self.status.value

        progress = self.progress

        seconds = self.seconds

        size = self.size

        created_at = self.created_at

        prompt: None | str | Unset
        if isinstance(self.prompt, Unset):
            prompt = UNSET
        else:
            prompt = self.prompt

        completed_at: int | None | Unset
        if isinstance(self.completed_at, Unset):
            completed_at = UNSET
        else:
            completed_at = self.completed_at

        expires_at: int | None | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        else:
            expires_at = self.expires_at

        remixed_from_video_id: None | str | Unset
        if isinstance(self.remixed_from_video_id, Unset):
            remixed_from_video_id = UNSET
        else:
            remixed_from_video_id = self.remixed_from_video_id

        error: dict[str, Any] | None | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        elif isinstance(self.error, OpenAIVideoErrorType0):
            error = self.error.to_dict()
        else:
            error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "object": object_,
                "model": model,
                "status": status,
                "progress": progress,
                "seconds": seconds,
                "size": size,
                "created_at": created_at,
            }
        )
        if prompt is not UNSET:
            field_dict["prompt"] = prompt
        if completed_at is not UNSET:
            field_dict["completed_at"] = completed_at
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if remixed_from_video_id is not UNSET:
            field_dict["remixed_from_video_id"] = remixed_from_video_id
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.open_ai_video_error_type_0 import OpenAIVideoErrorType0  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        object_ = OpenAIVideoObject(d.pop("object"))

        model = d.pop("model")

        status = OpenAIVideoStatus(d.pop("status"))

        progress = d.pop("progress")

        seconds = d.pop("seconds")

        size = d.pop("size")

        created_at = d.pop("created_at")

        def _parse_prompt(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        prompt = _parse_prompt(d.pop("prompt", UNSET))

        def _parse_completed_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        completed_at = _parse_completed_at(d.pop("completed_at", UNSET))

        def _parse_expires_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        expires_at = _parse_expires_at(d.pop("expires_at", UNSET))

        def _parse_remixed_from_video_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        remixed_from_video_id = _parse_remixed_from_video_id(d.pop("remixed_from_video_id", UNSET))

        def _parse_error(data: object) -> None | OpenAIVideoErrorType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_0 = OpenAIVideoErrorType0.from_dict(data)

                return error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OpenAIVideoErrorType0 | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        open_ai_video = cls(
            id=id,
            object_=object_,
            model=model,
            status=status,
            progress=progress,
            seconds=seconds,
            size=size,
            created_at=created_at,
            prompt=prompt,
            completed_at=completed_at,
            expires_at=expires_at,
            remixed_from_video_id=remixed_from_video_id,
            error=error,
        )

        open_ai_video.additional_properties = d
        return open_ai_video

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
