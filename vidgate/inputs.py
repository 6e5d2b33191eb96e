"""Inputs the caller hands us by reference (`input_reference`): data URLs, or URLs fetched safely.

A URL from a caller is fetched only over http(s), never to loopback, private, link-local or
metadata addresses (checked on every redirect hop, after DNS), within size and time limits.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from .errors import bad_request

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


def blocked_address(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or ip in ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT
    )


async def check_url(url: str, *, allow_private: bool, param: str) -> None:
    """Refuse what a caller must not make the gateway fetch."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise bad_request(f"{param} must be an http(s) URL or a data URL", param=param, code="invalid_url")
    if allow_private:
        return
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(
            parts.hostname, parts.port or 443, type=socket.SOCK_STREAM
        )
    except socket.gaierror as exc:
        raise bad_request(
            f"{param} host {parts.hostname!r} does not resolve", param=param, code="invalid_url"
        ) from exc
    for info in infos:
        ip = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if blocked_address(ip):
            raise bad_request(
                f"{param} points at a private, loopback or link-local address; the gateway fetches "
                "only public URLs",
                param=param,
                code="url_not_allowed",
            )


async def fetch_image(
    url: str,
    *,
    allow_private: bool,
    param: str = "input_reference",
    fetch_seconds: float = 20.0,
    max_bytes: int = MAX_IMAGE_BYTES,
) -> ImageInput:
    if url.startswith("data:"):
        return parse_data_url(url, param)
    async with httpx.AsyncClient(timeout=fetch_seconds, follow_redirects=False) as client:
        for _ in range(MAX_REDIRECTS + 1):
            await check_url(url, allow_private=allow_private, param=param)
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
            except httpx.HTTPError as exc:
                raise bad_request(
                    f"{param} URL could not be fetched ({type(exc).__name__})", param=param
                ) from exc
    raise bad_request(f"{param} URL redirects more than {MAX_REDIRECTS} times", param=param)
