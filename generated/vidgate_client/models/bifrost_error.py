from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.bifrost_error_extra_fields import BifrostErrorExtraFields
    from ..models.error_field import ErrorField


T = TypeVar("T", bound="BifrostError")


@_attrs_define
class BifrostError:
    """The body of every error response.

    Attributes:
        is_bifrost_error (bool): True when the gateway itself produced the error, false when it relays a provider's.
        status_code (int):
        error (ErrorField):
        event_id (str | Unset): Identifies this failure in the server log (always set on 5xx).
        type_ (str | Unset):
        extra_fields (BifrostErrorExtraFields | Unset):
    """

    is_bifrost_error: bool
    status_code: int
    error: ErrorField
    event_id: str | Unset = UNSET
    type_: str | Unset = UNSET
    extra_fields: BifrostErrorExtraFields | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        is_bifrost_error = self.is_bifrost_error

        status_code = self.status_code

        error = self.error.to_dict()

        event_id = self.event_id

        type_ = self.type_

        extra_fields: dict[str, Any] | Unset = UNSET
        if not isinstance(self.extra_fields, Unset):
            extra_fields = self.extra_fields.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "is_bifrost_error": is_bifrost_error,
                "status_code": status_code,
                "error": error,
            }
        )
        if event_id is not UNSET:
            field_dict["event_id"] = event_id
        if type_ is not UNSET:
            field_dict["type"] = type_
        if extra_fields is not UNSET:
            field_dict["extra_fields"] = extra_fields

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.bifrost_error_extra_fields import BifrostErrorExtraFields  # noqa: PLC0415
        from ..models.error_field import ErrorField  # noqa: PLC0415

        d = dict(src_dict)
        is_bifrost_error = d.pop("is_bifrost_error")

        status_code = d.pop("status_code")

        error = ErrorField.from_dict(d.pop("error"))

        event_id = d.pop("event_id", UNSET)

        type_ = d.pop("type", UNSET)

        _extra_fields = d.pop("extra_fields", UNSET)
        extra_fields: BifrostErrorExtraFields | Unset
        if isinstance(_extra_fields, Unset):
            extra_fields = UNSET
        else:
            extra_fields = BifrostErrorExtraFields.from_dict(_extra_fields)

        bifrost_error = cls(
            is_bifrost_error=is_bifrost_error,
            status_code=status_code,
            error=error,
            event_id=event_id,
            type_=type_,
            extra_fields=extra_fields,
        )

        bifrost_error.additional_properties = d
        return bifrost_error

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
