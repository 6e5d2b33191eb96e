"""Caller-supplied URLs: data URLs decode; hostile URLs are refused before any request is made."""

from __future__ import annotations

import asyncio
import base64

import pytest

from tests.fakes.harness import png_bytes
from vidgate.errors import VidgateError
from vidgate.inputs import check_url, fetch_image, parse_data_url

HOSTILE = [
    "http://127.0.0.1/x.png",
    "http://127.1.2.3:8080/x.png",
    "http://localhost/x.png",
    "http://10.0.0.5/x.png",
    "http://172.16.3.4/x.png",
    "http://192.168.1.1/x.png",
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata
    "http://[fd00:ec2::254]/latest/meta-data/",  # AWS metadata over IPv6
    "http://[::1]/x.png",
    "http://[::ffff:127.0.0.1]/x.png",  # IPv4-mapped loopback
    "http://0.0.0.0/x.png",
    "http://2130706433/x.png",  # 127.0.0.1 as a decimal
    "http://0x7f000001/x.png",  # and as hex
    "http://100.64.0.1/x.png",  # carrier-grade NAT
    "http://224.0.0.1/x.png",  # multicast
    "http://[fe80::1]/x.png",  # link-local
    "file:///etc/passwd",
    "gopher://127.0.0.1:6379/_INFO",
    "ftp://example.com/x.png",
    "javascript:alert(1)",
    "http:///x.png",
    "//127.0.0.1/x.png",
]


@pytest.mark.parametrize("url", HOSTILE)
def test_hostile_urls_are_refused(url: str) -> None:
    with pytest.raises(VidgateError) as err:
        asyncio.run(check_url(url, allow_private=False, param="input_reference"))
    assert err.value.status == 400 and err.value.param == "input_reference"
    assert err.value.code in ("url_not_allowed", "invalid_url")


def test_a_name_that_does_not_resolve_is_a_clear_400() -> None:
    with pytest.raises(VidgateError, match="does not resolve"):
        asyncio.run(
            check_url("http://no-such-host.invalid/x.png", allow_private=False, param="input_reference")
        )


def test_data_urls_decode_to_sniffed_images() -> None:
    image = parse_data_url("data:image/png;base64," + base64.b64encode(png_bytes()).decode())
    assert image.mime_type == "image/png" and image.data == png_bytes()
    for bad in ("data:text/plain;base64,aGk=", "data:image/png,notbase64", "data:image/png;base64,!!!"):
        with pytest.raises(VidgateError):
            parse_data_url(bad)


def test_fetch_refuses_loopback_unless_allowed() -> None:
    with pytest.raises(VidgateError):
        asyncio.run(fetch_image("http://127.0.0.1:9/x.png", allow_private=False))
