"""Inputs the caller hands us by reference (`input_reference`): data URLs, or URLs fetched safely.

A URL from a caller is fetched only over http(s), never from loopback, private, link-local or
metadata addresses (checked at every connection, on every redirect hop, against the address that
is connected to: see guarded_http), within size and time limits.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from .errors import VidgateError, bad_request
from .guarded_http import AddressPolicy, AddressRefused, Resolver, guarded_client, system_resolver

MAX_IMAGE_BYTES = 20 * 1024 * 1024
IMAGE_TYPES = {"image/png", "image/jpeg", "image/webp"}
MAX_REDIRECTS = 3


@dataclass(frozen=True)
class ImageInput:
    data: bytes
    mime_type: str

    @property
    def filename(self) -> str:
        return "reference." + self.mime_type.split("/")[1].replace("jpeg", "jpg")

    def base64(self) -> str:
        return base64.b64encode(self.data).decode()

    def data_url(self) -> str:
        return f"data:{self.mime_type};base64,{self.base64()}"


def sniff_image_type(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _image(data: bytes, param: str) -> ImageInput:
    mime = sniff_image_type(data)
    if mime is None:
        raise bad_request(f"{param} is not a PNG, JPEG or WebP image", param=param, code="invalid_image")
    return ImageInput(data, mime)


def parse_data_url(value: str, param: str = "input_reference") -> ImageInput:
    header, sep, payload = value.partition(",")
    if not sep or not header.startswith("data:") or not header.endswith(";base64"):
        raise bad_request(
            f"{param} must be a URL or a base64 data URL (data:image/png;base64,...)", param=param
        )
    try:
        data = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise bad_request(f"{param} holds invalid base64", param=param) from exc
    return _image(data, param)


def check_url(url: str, *, param: str) -> None:
    """Refuse what is not a plain http(s) URL; the addresses are checked when connecting."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise bad_request(f"{param} must be an http(s) URL or a data URL", param=param, code="invalid_url")


def url_not_allowed(param: str) -> VidgateError:
    return bad_request(
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
                        raise bad_request(f"{param} URL answered HTTP {response.status_code}", param=param)
                    chunks, size = [], 0
                    async for chunk in response.aiter_bytes():
                        size += len(chunk)
                        if size > max_bytes:
                            raise bad_request(f"{param} is larger than {max_bytes} bytes", param=param)
                        chunks.append(chunk)
                    return _image(b"".join(chunks), param)
            except AddressRefused as exc:
                raise url_not_allowed(param) from exc
            except httpx.HTTPError as exc:
                detail = str(exc) if "does not resolve" in str(exc) else type(exc).__name__
                raise bad_request(f"{param} URL could not be fetched ({detail})", param=param) from exc
    raise bad_request(f"{param} URL redirects more than {MAX_REDIRECTS} times", param=param)
