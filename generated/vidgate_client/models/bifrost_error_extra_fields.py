from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.model_provider import ModelProvider
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.bifrost_error_extra_fields_details import BifrostErrorExtraFieldsDetails


T = TypeVar("T", bound="BifrostErrorExtraFields")


@_attrs_define
class BifrostErrorExtraFields:
    """
    Attributes:
        provider (ModelProvider | Unset): A provider name. Bifrost's names, plus `local` (vidgate's embedded CPU
            renderer) and the
            other providers vidgate ships adapters for.
             Example: local.
        model_requested (str | Unset):
        request_type (str | Unset):  Example: video_generation.
        error_type (str | Unset): Low-cardinality reason, prefixed by fault domain: `caller_`, `policy_`, `provider_`,
            `bifrost_`.
             Example: caller_invalid_request.
        details (BifrostErrorExtraFieldsDetails | Unset): Machine-readable facts about the refusal, by error code:
            `model_retired` gives
            `retired_on` (a date) and `successor` (`provider/model`); `budget_exceeded` gives `scope`
            (`key` or `tenant`), `period` (`day` or `month`), `limit_usd`, `spent_usd`,
            `reserved_usd` (held by jobs in progress), `remaining_usd`, `estimated_cost_usd` (this
            job's) and `resets_at` (when the next period starts, ISO 8601).
    """

    provider: ModelProvider | Unset = UNSET
    model_requested: str | Unset = UNSET
    request_type: str | Unset = UNSET
    error_type: str | Unset = UNSET
    details: BifrostErrorExtraFieldsDetails | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        provider: str | Unset = UNSET
        if not isinstance(self.provider, Unset):
            provider = self.provider.value

        model_requested = self.model_requested

        request_type = self.request_type

        error_type = self.error_type

        details: dict[str, Any] | Unset = UNSET
        if not isinstance(self.details, Unset):
            details = self.details.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if provider is not UNSET:
            field_dict["provider"] = provider
        if model_requested is not UNSET:
            field_dict["model_requested"] = model_requested
        if request_type is not UNSET:
            field_dict["request_type"] = request_type
        if error_type is not UNSET:
            field_dict["error_type"] = error_type
        if details is not UNSET:
            field_dict["details"] = details

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.bifrost_error_extra_fields_details import BifrostErrorExtraFieldsDetails  # noqa: PLC0415

        d = dict(src_dict)
        _provider = d.pop("provider", UNSET)
        provider: ModelProvider | Unset
        if isinstance(_provider, Unset):
            provider = UNSET
        else:
            provider = ModelProvider(_provider)

        model_requested = d.pop("model_requested", UNSET)

        request_type = d.pop("request_type", UNSET)

        error_type = d.pop("error_type", UNSET)

        _details = d.pop("details", UNSET)
        details: BifrostErrorExtraFieldsDetails | Unset
        if isinstance(_details, Unset):
            details = UNSET
        else:
            details = BifrostErrorExtraFieldsDetails.from_dict(_details)

        bifrost_error_extra_fields = cls(
            provider=provider,
            model_requested=model_requested,
            request_type=request_type,
            error_type=error_type,
            details=details,
        )

        bifrost_error_extra_fields.additional_properties = d
        return bifrost_error_extra_fields

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
