from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.model_entry_audio import ModelEntryAudio
from ..models.model_entry_capabilities_item import ModelEntryCapabilitiesItem
from ..models.model_entry_lifecycle import ModelEntryLifecycle
from ..models.model_entry_operations_item import ModelEntryOperationsItem
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.model_entry_seconds import ModelEntrySeconds
    from ..models.model_price import ModelPrice


T = TypeVar("T", bound="ModelEntry")


@_attrs_define
class ModelEntry:
    """One model as the gateway's catalog knows it (a data file shipped with the gateway, which the
    operator can override): its lifecycle, what it takes and what it costs. A retired model is
    listed with its date and successor; creating a video with it is a 400 `model_retired`.

        Example:
            {'id': 'vertex/veo-3.1-generate-001', 'provider': 'vertex', 'model': 'veo-3.1-generate-001', 'lifecycle':
                'available', 'capabilities': ['video_download', 'video_generation', 'video_list', 'video_retrieve'], 'seconds':
                {'allowed': [4, 6, 8]}, 'default_seconds': 8, 'sizes': ['1280x720', '720x1280', '1920x1080', '1080x1920',
                '3840x2160', '2160x3840'], 'audio': 'optional', 'image_input': True, 'video_input': True, 'operations':
                ['extend'], 'price': {'currency': 'USD', 'per_second': {'720p': 0.2, '1080p': 0.2, '4k': 0.4},
                'per_second_with_audio': {'720p': 0.4, '1080p': 0.4, '4k': 0.6}, 'source': 'https://cloud.google.com/vertex-
                ai/generative-ai/pricing', 'as_of': '2026-05-01'}}

        Attributes:
            id (str): `provider/model`, or `provider/*` for the models of an open provider the catalog does not list.
                Example: vertex/veo-3.1-generate-001.
            provider (str):
            model (str):
            lifecycle (ModelEntryLifecycle):
            capabilities (list[ModelEntryCapabilitiesItem]):
            label (str | Unset):
            retires_on (datetime.date | Unset): Retired from this date (deprecated until then).
            successor (str | Unset): The `provider/model` that replaces a retired model.
            note (str | Unset):
            seconds (ModelEntrySeconds | Unset): The durations it takes (`allowed`), or a range (`min`, `max`).
            default_seconds (int | Unset):
            sizes (list[str] | Unset): The `WxH` sizes it takes (absent when the adapter checks sizes itself).
            default_size (str | Unset):
            audio (ModelEntryAudio | Unset):
            image_input (bool | Unset):
            video_input (bool | Unset):
            operations (list[ModelEntryOperationsItem] | Unset): What it does beyond creating a video.
            price (ModelPrice | Unset): USD per output second by resolution tier: the short side of the size (`720p`,
                `1080p`, `4k`),
                `*` for any. Where a soundtrack costs more, `per_second_with_audio` applies to jobs with audio.
    """

    id: str
    provider: str
    model: str
    lifecycle: ModelEntryLifecycle
    capabilities: list[ModelEntryCapabilitiesItem]
    label: str | Unset = UNSET
    retires_on: datetime.date | Unset = UNSET
    successor: str | Unset = UNSET
    note: str | Unset = UNSET
    seconds: ModelEntrySeconds | Unset = UNSET
    default_seconds: int | Unset = UNSET
    sizes: list[str] | Unset = UNSET
    default_size: str | Unset = UNSET
    audio: ModelEntryAudio | Unset = UNSET
    image_input: bool | Unset = UNSET
    video_input: bool | Unset = UNSET
    operations: list[ModelEntryOperationsItem] | Unset = UNSET
    price: ModelPrice | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        provider = self.provider

        model = self.model

        lifecycle = self.lifecycle.value

        capabilities = []
        for capabilities_item_data in self.capabilities:
            capabilities_item = capabilities_item_data.value
            capabilities.append(capabilities_item)

        label = self.label

        retires_on: str | Unset = UNSET
        if not isinstance(self.retires_on, Unset):
            retires_on = self.retires_on.isoformat()

        successor = self.successor

        note = self.note

        seconds: dict[str, Any] | Unset = UNSET
        if not isinstance(self.seconds, Unset):
            seconds = self.seconds.to_dict()

        default_seconds = self.default_seconds

        sizes: list[str] | Unset = UNSET
        if not isinstance(self.sizes, Unset):
            sizes = self.sizes

        default_size = self.default_size

        audio: str | Unset = UNSET
        if not isinstance(self.audio, Unset):
            audio = self.audio.value

        image_input = self.image_input

        video_input = self.video_input

        operations: list[str] | Unset = UNSET
        if not isinstance(self.operations, Unset):
            operations = []
            for operations_item_data in self.operations:
                operations_item = operations_item_data.value
                operations.append(operations_item)

        price: dict[str, Any] | Unset = UNSET
        if not isinstance(self.price, Unset):
            price = self.price.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "provider": provider,
                "model": model,
                "lifecycle": lifecycle,
                "capabilities": capabilities,
            }
        )
        if label is not UNSET:
            field_dict["label"] = label
        if retires_on is not UNSET:
            field_dict["retires_on"] = retires_on
        if successor is not UNSET:
            field_dict["successor"] = successor
        if note is not UNSET:
            field_dict["note"] = note
        if seconds is not UNSET:
            field_dict["seconds"] = seconds
        if default_seconds is not UNSET:
            field_dict["default_seconds"] = default_seconds
        if sizes is not UNSET:
            field_dict["sizes"] = sizes
        if default_size is not UNSET:
            field_dict["default_size"] = default_size
        if audio is not UNSET:
            field_dict["audio"] = audio
        if image_input is not UNSET:
            field_dict["image_input"] = image_input
        if video_input is not UNSET:
            field_dict["video_input"] = video_input
        if operations is not UNSET:
            field_dict["operations"] = operations
        if price is not UNSET:
            field_dict["price"] = price

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.model_entry_seconds import ModelEntrySeconds  # noqa: PLC0415
        from ..models.model_price import ModelPrice  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        provider = d.pop("provider")

        model = d.pop("model")

        lifecycle = ModelEntryLifecycle(d.pop("lifecycle"))

        capabilities = []
        _capabilities = d.pop("capabilities")
        for capabilities_item_data in _capabilities:
            capabilities_item = ModelEntryCapabilitiesItem(capabilities_item_data)

            capabilities.append(capabilities_item)

        label = d.pop("label", UNSET)

        _retires_on = d.pop("retires_on", UNSET)
        retires_on: datetime.date | Unset
        if isinstance(_retires_on, Unset):
            retires_on = UNSET
        else:
            retires_on = datetime.date.fromisoformat(_retires_on)

        successor = d.pop("successor", UNSET)

        note = d.pop("note", UNSET)

        _seconds = d.pop("seconds", UNSET)
        seconds: ModelEntrySeconds | Unset
        if isinstance(_seconds, Unset):
            seconds = UNSET
        else:
            seconds = ModelEntrySeconds.from_dict(_seconds)

        default_seconds = d.pop("default_seconds", UNSET)

        sizes = cast(list[str], d.pop("sizes", UNSET))

        default_size = d.pop("default_size", UNSET)

        _audio = d.pop("audio", UNSET)
        audio: ModelEntryAudio | Unset
        if isinstance(_audio, Unset):
            audio = UNSET
        else:
            audio = ModelEntryAudio(_audio)

        image_input = d.pop("image_input", UNSET)

        video_input = d.pop("video_input", UNSET)

        _operations = d.pop("operations", UNSET)
        operations: list[ModelEntryOperationsItem] | Unset = UNSET
        if _operations is not UNSET:
            operations = []
            for operations_item_data in _operations:
                operations_item = ModelEntryOperationsItem(operations_item_data)

                operations.append(operations_item)

        _price = d.pop("price", UNSET)
        price: ModelPrice | Unset
        if isinstance(_price, Unset):
            price = UNSET
        else:
            price = ModelPrice.from_dict(_price)

        model_entry = cls(
            id=id,
            provider=provider,
            model=model,
            lifecycle=lifecycle,
            capabilities=capabilities,
            label=label,
            retires_on=retires_on,
            successor=successor,
            note=note,
            seconds=seconds,
            default_seconds=default_seconds,
            sizes=sizes,
            default_size=default_size,
            audio=audio,
            image_input=image_input,
            video_input=video_input,
            operations=operations,
            price=price,
        )

        model_entry.additional_properties = d
        return model_entry

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
