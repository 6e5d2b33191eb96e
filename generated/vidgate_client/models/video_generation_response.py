from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.video_generation_response_object import VideoGenerationResponseObject
from ..models.video_status import VideoStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.bifrost_response_extra_fields import BifrostResponseExtraFields
    from ..models.video_error import VideoError
    from ..models.video_output import VideoOutput


T = TypeVar("T", bound="VideoGenerationResponse")


@_attrs_define
class VideoGenerationResponse:
    """
    Attributes:
        id (str): `id:provider` Example: video_01JD3Z8Q7W6X5V4T3S2R1P0N9M:local.
        object_ (VideoGenerationResponseObject):
        status (VideoStatus): `queued` → `in_progress` → `completed` | `failed`.
        model (str | Unset):  Example: local/default.
        progress (float | Unset):
        prompt (str | Unset):
        remixed_from_video_id (str | Unset):
        seconds (int | Unset):
        size (str | Unset): `WIDTHxHEIGHT` in pixels, e.g. `1280x720`, `720x1280`, `1920x1080`. Which sizes a model
            takes
            depends on the provider; `local` takes even numbers from 64 to 1920 on either side.
             Example: 1280x720.
        created_at (int | Unset): Unix seconds.
        completed_at (int | Unset): Unix seconds.
        expires_at (int | Unset): Unix seconds after which the assets are no longer downloadable.
        videos (list[VideoOutput] | Unset): Where to download the result (when `completed`).
        error (VideoError | Unset):
        extra_fields (BifrostResponseExtraFields | Unset):
    """

    id: str
    object_: VideoGenerationResponseObject
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
    videos: list[VideoOutput] | Unset = UNSET
    error: VideoError | Unset = UNSET
    extra_fields: BifrostResponseExtraFields | Unset = UNSET
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

        videos: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.videos, Unset):
            videos = []
            for videos_item_data in self.videos:
                videos_item = videos_item_data.to_dict()
                videos.append(videos_item)

        error: dict[str, Any] | Unset = UNSET
        if not isinstance(self.error, Unset):
            error = self.error.to_dict()

        extra_fields: dict[str, Any] | Unset = UNSET
        if not isinstance(self.extra_fields, Unset):
            extra_fields = self.extra_fields.to_dict()

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
        if videos is not UNSET:
            field_dict["videos"] = videos
        if error is not UNSET:
            field_dict["error"] = error
        if extra_fields is not UNSET:
            field_dict["extra_fields"] = extra_fields

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.bifrost_response_extra_fields import BifrostResponseExtraFields  # noqa: PLC0415
        from ..models.video_error import VideoError  # noqa: PLC0415
        from ..models.video_output import VideoOutput  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        object_ = VideoGenerationResponseObject(d.pop("object"))

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

        _videos = d.pop("videos", UNSET)
        videos: list[VideoOutput] | Unset = UNSET
        if _videos is not UNSET:
            videos = []
            for videos_item_data in _videos:
                videos_item = VideoOutput.from_dict(videos_item_data)

                videos.append(videos_item)

        _error = d.pop("error", UNSET)
        error: VideoError | Unset
        if isinstance(_error, Unset):
            error = UNSET
        else:
            error = VideoError.from_dict(_error)

        _extra_fields = d.pop("extra_fields", UNSET)
        extra_fields: BifrostResponseExtraFields | Unset
        if isinstance(_extra_fields, Unset):
            extra_fields = UNSET
        else:
            extra_fields = BifrostResponseExtraFields.from_dict(_extra_fields)

        video_generation_response = cls(
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
            videos=videos,
            error=error,
            extra_fields=extra_fields,
        )

        video_generation_response.additional_properties = d
        return video_generation_response

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
