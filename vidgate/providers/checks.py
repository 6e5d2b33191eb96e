"""The checks every adapter makes before anything is sent: a value the provider cannot take is a
400 naming the allowed values, never silently changed or dropped."""

from __future__ import annotations

import re
from math import gcd
from typing import Any

from ..domain import InvalidRequest
from .base import GenerationRequest

_SIZE_RE = re.compile(r"^(\d+)x(\d+)$")


def parse_size(size: str) -> tuple[int, int]:
    match = _SIZE_RE.match(size)
    if not match:
        raise InvalidRequest(
            f"size {size!r} must be WIDTHxHEIGHT, e.g. 1280x720", param="size", code="invalid_size"
        )
    return int(match.group(1)), int(match.group(2))


def aspect_ratio(size: str) -> str:
    """`1280x720` -> `16:9`."""
    width, height = parse_size(size)
    divisor = gcd(width, height)
    return f"{width // divisor}:{height // divisor}"


def refuse_unsupported(provider: str, request: GenerationRequest, fields: tuple[str, ...]) -> None:
    """A value the provider cannot take is a 400, never silently dropped."""
    for field in fields:
        if getattr(request, field) is not None:
            raise InvalidRequest(
                f"{provider} does not take {field}",
                param=field,
                code="unsupported_parameter",
                provider=provider,
            )


def check_choice(provider: str, param: str, value: Any, allowed: tuple[Any, ...], model: str) -> None:
    if value not in allowed:
        raise InvalidRequest(
            f"{provider}/{model} does not take {param} {value!r}; allowed: " + ", ".join(map(str, allowed)),
            param=param,
            code=f"invalid_{param}",
            provider=provider,
        )
