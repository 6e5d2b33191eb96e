from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.model_provider import ModelProvider

T = TypeVar("T", bound="Fallback")


@_attrs_define
class Fallback:
    """A provider/model to try, in order, when the primary provider fails.

    Attributes:
        provider (ModelProvider): A provider name. Bifrost's names, plus `local` (vidgate's embedded CPU renderer) and
            the
            other providers vidgate ships adapters for.
             Example: local.
        model (str): The provider's model name, without the `provider/` prefix. Example: default.
    """

    provider: ModelProvider
    model: str

    def to_dict(self) -> dict[str, Any]:
        provider = self.provider.value

        model = self.model

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "provider": provider,
                "model": model,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        provider = ModelProvider(d.pop("provider"))

        model = d.pop("model")

        fallback = cls(
            provider=provider,
            model=model,
        )

        return fallback
