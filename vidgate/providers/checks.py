"""The checks every adapter makes before anything is sent: a value the provider cannot take is a
400 naming the allowed values, never silently changed or dropped."""

from __future__ import annotations

import re
from math import gcd
from typing import Any

from ..catalog import ModelSpec
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


def check_request(provider: str, spec: ModelSpec, request: GenerationRequest) -> tuple[int, str]:
    """The seconds and size to use (the model's defaults where the caller set none), after checking
    every value against what the catalog says the model takes."""
    seconds = request.seconds or spec.default_seconds or 4
    if not spec.takes_seconds(seconds):
        raise InvalidRequest(
            f"{spec.id} does not take seconds {seconds}; allowed: {spec.allowed_seconds()}",
            param="seconds",
            code="invalid_seconds",
            provider=provider,
        )
    size = request.size or spec.default_size or (spec.sizes[0] if spec.sizes else "1280x720")
    parse_size(size)
    if spec.sizes is not None:
        check_choice(provider, "size", size, spec.sizes, spec.name)
    if request.audio is not None:
        if spec.audio == "never" and request.audio:
            raise _unsupported(provider, spec, "audio", "generates no audio")
        if spec.audio == "always" and not request.audio:
            raise _unsupported(provider, spec, "audio", "always generates audio")
    if request.input_reference is not None and not spec.image_input:
        raise _unsupported(provider, spec, "input_reference", "takes no reference image")
    if request.video_uri is not None and not spec.video_input:
        raise _unsupported(provider, spec, "video_uri", "takes no source video")
    return seconds, size


def _unsupported(provider: str, spec: ModelSpec, param: str, what: str) -> InvalidRequest:
    return InvalidRequest(f"{spec.id} {what}", param=param, code="unsupported_parameter", provider=provider)
