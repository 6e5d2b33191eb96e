from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ErrorField")


@_attrs_define
class ErrorField:
    """
    Attributes:
        type_ (str | Unset): Error class, e.g. `invalid_request_error`, `authentication_error`, `not_found_error`.
        code (str | Unset): Machine-readable code, e.g. `invalid_video_id`, `unsupported_operation`.
        message (str | Unset): What went wrong and how to fix it.
        param (str | Unset): The request parameter at fault, when there is one.
        event_id (str | Unset):
    """

    type_: str | Unset = UNSET
    code: str | Unset = UNSET
    message: str | Unset = UNSET
    param: str | Unset = UNSET
    event_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        code = self.code

        message = self.message

        param = self.param

        event_id = self.event_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if type_ is not UNSET:
            field_dict["type"] = type_
        if code is not UNSET:
            field_dict["code"] = code
        if message is not UNSET:
            field_dict["message"] = message
        if param is not UNSET:
            field_dict["param"] = param
        if event_id is not UNSET:
            field_dict["event_id"] = event_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = d.pop("type", UNSET)

        code = d.pop("code", UNSET)

        message = d.pop("message", UNSET)

        param = d.pop("param", UNSET)

        event_id = d.pop("event_id", UNSET)

        error_field = cls(
            type_=type_,
            code=code,
            message=message,
            param=param,
            event_id=event_id,
        )

        error_field.additional_properties = d
        return error_field

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
