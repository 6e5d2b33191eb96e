from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.model_provider import ModelProvider
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.bifrost_response_extra_fields_cache_debug import BifrostResponseExtraFieldsCacheDebug
    from ..models.bifrost_response_extra_fields_raw_request import BifrostResponseExtraFieldsRawRequest
    from ..models.bifrost_response_extra_fields_raw_response import BifrostResponseExtraFieldsRawResponse
    from ..models.job_cost import JobCost


T = TypeVar("T", bound="BifrostResponseExtraFields")


@_attrs_define
class BifrostResponseExtraFields:
    """
    Attributes:
        request_type (str | Unset):  Example: video_generation.
        provider (ModelProvider | Unset): A provider name. Bifrost's names, plus `local` (vidgate's embedded CPU
            renderer) and the
            other providers vidgate ships adapters for.
             Example: local.
        model_requested (str | Unset):
        model_deployment (str | Unset):
        latency (int | Unset): Time the gateway spent on this request, in milliseconds.
        chunk_index (int | Unset):
        raw_request (BifrostResponseExtraFieldsRawRequest | Unset):
        raw_response (BifrostResponseExtraFieldsRawResponse | Unset):
        cache_debug (BifrostResponseExtraFieldsCacheDebug | Unset):
        cost (JobCost | Unset): What the video costs in US dollars: the catalog's price per output second for its model,
            resolution and audio, quoted when the job was created, times its seconds. `final` once the
            job completed (what it cost) or failed (nothing); until then, what it is expected to cost.
            Absent when the catalog has no price for the model.
             Example: {'usd': 3.2, 'final': True}.
    """

    request_type: str | Unset = UNSET
    provider: ModelProvider | Unset = UNSET
    model_requested: str | Unset = UNSET
    model_deployment: str | Unset = UNSET
    latency: int | Unset = UNSET
    chunk_index: int | Unset = UNSET
    raw_request: BifrostResponseExtraFieldsRawRequest | Unset = UNSET
    raw_response: BifrostResponseExtraFieldsRawResponse | Unset = UNSET
    cache_debug: BifrostResponseExtraFieldsCacheDebug | Unset = UNSET
    cost: JobCost | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        request_type = self.request_type

        provider: str | Unset = UNSET
        if not isinstance(self.provider, Unset):
            provider = self.provider.value

        model_requested = self.model_requested

        model_deployment = self.model_deployment

        latency = self.latency

        chunk_index = self.chunk_index

        raw_request: dict[str, Any] | Unset = UNSET
        if not isinstance(self.raw_request, Unset):
            raw_request = self.raw_request.to_dict()

        raw_response: dict[str, Any] | Unset = UNSET
        if not isinstance(self.raw_response, Unset):
            raw_response = self.raw_response.to_dict()

        cache_debug: dict[str, Any] | Unset = UNSET
        if not isinstance(self.cache_debug, Unset):
            cache_debug = self.cache_debug.to_dict()

        cost: dict[str, Any] | Unset = UNSET
        if not isinstance(self.cost, Unset):
            cost = self.cost.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if request_type is not UNSET:
            field_dict["request_type"] = request_type
        if provider is not UNSET:
            field_dict["provider"] = provider
        if model_requested is not UNSET:
            field_dict["model_requested"] = model_requested
        if model_deployment is not UNSET:
            field_dict["model_deployment"] = model_deployment
        if latency is not UNSET:
            field_dict["latency"] = latency
        if chunk_index is not UNSET:
            field_dict["chunk_index"] = chunk_index
        if raw_request is not UNSET:
            field_dict["raw_request"] = raw_request
        if raw_response is not UNSET:
            field_dict["raw_response"] = raw_response
        if cache_debug is not UNSET:
            field_dict["cache_debug"] = cache_debug
        if cost is not UNSET:
            field_dict["cost"] = cost

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.bifrost_response_extra_fields_cache_debug import BifrostResponseExtraFieldsCacheDebug  # noqa: PLC0415
        from ..models.bifrost_response_extra_fields_raw_request import BifrostResponseExtraFieldsRawRequest  # noqa: PLC0415
        from ..models.bifrost_response_extra_fields_raw_response import BifrostResponseExtraFieldsRawResponse  # noqa: PLC0415
        from ..models.job_cost import JobCost  # noqa: PLC0415

        d = dict(src_dict)
        request_type = d.pop("request_type", UNSET)

        _provider = d.pop("provider", UNSET)
        provider: ModelProvider | Unset
        if isinstance(_provider, Unset):
            provider = UNSET
        else:
            provider = ModelProvider(_provider)

        model_requested = d.pop("model_requested", UNSET)

        model_deployment = d.pop("model_deployment", UNSET)

        latency = d.pop("latency", UNSET)

        chunk_index = d.pop("chunk_index", UNSET)

        _raw_request = d.pop("raw_request", UNSET)
        raw_request: BifrostResponseExtraFieldsRawRequest | Unset
        if isinstance(_raw_request, Unset):
            raw_request = UNSET
        else:
            raw_request = BifrostResponseExtraFieldsRawRequest.from_dict(_raw_request)

        _raw_response = d.pop("raw_response", UNSET)
        raw_response: BifrostResponseExtraFieldsRawResponse | Unset
        if isinstance(_raw_response, Unset):
            raw_response = UNSET
        else:
            raw_response = BifrostResponseExtraFieldsRawResponse.from_dict(_raw_response)

        _cache_debug = d.pop("cache_debug", UNSET)
        cache_debug: BifrostResponseExtraFieldsCacheDebug | Unset
        if isinstance(_cache_debug, Unset):
            cache_debug = UNSET
        else:
            cache_debug = BifrostResponseExtraFieldsCacheDebug.from_dict(_cache_debug)

        _cost = d.pop("cost", UNSET)
        cost: JobCost | Unset
        if isinstance(_cost, Unset):
            cost = UNSET
        else:
            cost = JobCost.from_dict(_cost)

        bifrost_response_extra_fields = cls(
            request_type=request_type,
            provider=provider,
            model_requested=model_requested,
            model_deployment=model_deployment,
            latency=latency,
            chunk_index=chunk_index,
            raw_request=raw_request,
            raw_response=raw_response,
            cache_debug=cache_debug,
            cost=cost,
        )

        bifrost_response_extra_fields.additional_properties = d
        return bifrost_response_extra_fields

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
