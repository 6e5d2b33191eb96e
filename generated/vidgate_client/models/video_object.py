from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.video_object_object import VideoObjectObject
from ..models.video_status import VideoStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.video_error import VideoError


T = TypeVar("T", bound="VideoObject")


@_attrs_define
class VideoObject:
    """
    Attributes:
        id (str):
        object_ (VideoObjectObject):
        status (VideoStatus): `queued` → `in_progress` → `completed` | `failed`.
        model (str | Unset):
        progress (float | Unset):
        prompt (str | Unset):
        remixed_from_video_id (str | Unset):
        seconds (int | Unset):
        size (str | Unset): `WIDTHxHEIGHT` in pixels, e.g. `1280x720`, `720x1280`, `1920x1080`. Which sizes a model
            takes
            depends on the provider; `local` takes even numbers from 64 to 1920 on either side.
             Example: 1280x720.
        created_at (int | Unset):
        completed_at (int | Unset):
        expires_at (int | Unset):
        error (VideoError | Unset):
    """

    id: str
    object_: VideoObjectObject
    status: VideoStatus
    model: str | Unset = UNSET
    progress: float | Unset = UNSET
    prompt: str | Unset = UNSET
    remixed_from_video_id: str | Unset = UNSET
    seconds: int | Unset = UNSET
    size: str | Unset = UNSET
    created_at: int | Unset = UNSET
    completed_at: int | Unset = UNSET
    expires_at: int | Unset = UNSET
    error: VideoError | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        object_ = self.object_.value

        status = self.status.value

        model = self.model

        progress = self.progress

        prompt = self.prompt

        remixed_from_video_id = self.remixed_from_video_id

        seconds = self.seconds

        size = self.size

        created_at = self.created_at

        completed_at = self.completed_at

        expires_at = self.expires_at

        error: dict[str, Any] | Unset = UNSET
        if not isinstance(self.error, Unset):
            error = self.error.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "object": object_,
                "status": status,
            }
        )
        if model is not UNSET:
            field_dict["model"] = model
        if progress is not UNSET:
            field_dict["progress"] = progress
        if prompt is not UNSET:
            field_dict["prompt"] = prompt
        if remixed_from_video_id is not UNSET:
            field_dict["remixed_from_video_id"] = remixed_from_video_id
        if seconds is not UNSET:
            field_dict["seconds"] = seconds
        if size is not UNSET:
            field_dict["size"] = size
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if completed_at is not UNSET:
            field_dict["completed_at"] = completed_at
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.video_error import VideoError  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        object_ = VideoObjectObject(d.pop("object"))

        status = VideoStatus(d.pop("status"))

        model = d.pop("model", UNSET)

        progress = d.pop("progress", UNSET)

        prompt = d.pop("prompt", UNSET)

        remixed_from_video_id = d.pop("remixed_from_video_id", UNSET)

        seconds = d.pop("seconds", UNSET)

        size = d.pop("size", UNSET)

        created_at = d.pop("created_at", UNSET)

        completed_at = d.pop("completed_at", UNSET)

        expires_at = d.pop("expires_at", UNSET)

        _error = d.pop("error", UNSET)
        error: VideoError | Unset
        if isinstance(_error, Unset):
            error = UNSET
        else:
            error = VideoError.from_dict(_error)

        video_object = cls(
            id=id,
            object_=object_,
            status=status,
            model=model,
            progress=progress,
            prompt=prompt,
            remixed_from_video_id=remixed_from_video_id,
            seconds=seconds,
            size=size,
            created_at=created_at,
            completed_at=completed_at,
            expires_at=expires_at,
            error=error,
        )

        video_object.additional_properties = d
        return video_object

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
