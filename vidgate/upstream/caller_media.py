"""Inputs the caller hands us by reference (`input_reference`): data URLs, or URLs fetched safely.

A URL from a caller is fetched only over http(s), never from loopback, private, link-local or
metadata addresses (checked at every connection, on every redirect hop, against the address that
is connected to: see upstream.guarded), within size and time limits.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from ..domain import ImageInput, InvalidRequest, sniff_image_type
from .guarded import AddressPolicy, AddressRefused, Resolver, guarded_client, system_resolver

MAX_IMAGE_BYTES = 20 * 1024 * 1024
IMAGE_TYPES = {"image/png", "image/jpeg", "image/webp"}
MAX_REDIRECTS = 3


def invalid(message: str, *, param: str, code: str = "invalid_request", **kw: Any) -> InvalidRequest:
    return InvalidRequest(message, code=code, param=param, **kw)


def _image(data: bytes, param: str) -> ImageInput:
    mime = sniff_image_type(data)
    if mime is None:
        raise invalid(f"{param} is not a PNG, JPEG or WebP image", param=param, code="invalid_image")
    return ImageInput(data, mime)


def parse_data_url(value: str, param: str = "input_reference") -> ImageInput:
    header, sep, payload = value.partition(",")
    if not sep or not header.startswith("data:") or not header.endswith(";base64"):
        raise invalid(f"{param} must be a URL or a base64 data URL (data:image/png;base64,...)", param=param)
    try:
        data = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise invalid(f"{param} holds invalid base64", param=param) from exc
    return _image(data, param)


def check_url(url: str, *, param: str) -> None:
    """Refuse what is not a plain http(s) URL; the addresses are checked when connecting."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise invalid(f"{param} must be an http(s) URL or a data URL", param=param, code="invalid_url")


def url_not_allowed(param: str) -> InvalidRequest:
    return invalid(
        f"{param} points at a private, loopback or link-local address; the gateway fetches only public "
        "URLs (an operator can allow a private network with VIDGATE_ALLOWED_PRIVATE_NETWORKS)",
        param=param,
        code="url_not_allowed",
    )


async def fetch_image(
    url: str,
    *,
    policy: AddressPolicy,
    param: str = "input_reference",
    fetch_seconds: float = 20.0,
    max_bytes: int = MAX_IMAGE_BYTES,
    resolve: Resolver = system_resolver,
) -> ImageInput:
    if url.startswith("data:"):
        return parse_data_url(url, param)
    async with guarded_client(policy, timeout=fetch_seconds, resolve=resolve) as client:
        for _ in range(MAX_REDIRECTS + 1):
            check_url(url, param=param)
            try:
                async with client.stream("GET", url) as response:
                    if response.is_redirect and "location" in response.headers:
                        url = urljoin(url, response.headers["location"])
                        continue
                    if response.status_code != 200:
                        raise invalid(f"{param} URL answered HTTP {response.status_code}", param=param)
                    chunks, size = [], 0
                    async for chunk in response.aiter_bytes():
                        size += len(chunk)
                        if size > max_bytes:
                            raise invalid(f"{param} is larger than {max_bytes} bytes", param=param)
                        chunks.append(chunk)
                    return _image(b"".join(chunks), param)
            except AddressRefused as exc:
                raise url_not_allowed(param) from exc
            except httpx.HTTPError as exc:
                detail = str(exc) if "does not resolve" in str(exc) else type(exc).__name__
                raise invalid(f"{param} URL could not be fetched ({detail})", param=param) from exc
    raise invalid(f"{param} URL redirects more than {MAX_REDIRECTS} times", param=param)
