"""Caller-supplied URLs: data URLs decode; hostile URLs are refused before any request is made."""

from __future__ import annotations

import asyncio
import base64

import pytest

from tests.fakes.harness import png_bytes
from vidgate.domain import InvalidRequest
from vidgate.upstream import AddressPolicy, fetch_image, parse_data_url

NOT_ALLOWED, INVALID = "url_not_allowed", "invalid_url"
HOSTILE = [
    ("http://127.0.0.1/x.png", NOT_ALLOWED),
    ("http://127.1.2.3:8080/x.png", NOT_ALLOWED),
    ("http://localhost/x.png", NOT_ALLOWED),
    ("http://10.0.0.5/x.png", NOT_ALLOWED),
    ("http://172.16.3.4/x.png", NOT_ALLOWED),
    ("http://192.168.1.1/x.png", NOT_ALLOWED),
    ("http://169.254.169.254/latest/meta-data/", NOT_ALLOWED),  # cloud metadata
    ("http://[fd00:ec2::254]/latest/meta-data/", NOT_ALLOWED),  # AWS metadata over IPv6
    ("http://[::1]/x.png", NOT_ALLOWED),
    ("http://[::ffff:127.0.0.1]/x.png", NOT_ALLOWED),  # IPv4-mapped loopback
    ("http://0.0.0.0/x.png", NOT_ALLOWED),
    ("http://2130706433/x.png", NOT_ALLOWED),  # 127.0.0.1 as a decimal
    ("http://0x7f000001/x.png", NOT_ALLOWED),  # and as hex
    ("http://100.64.0.1/x.png", NOT_ALLOWED),  # carrier-grade NAT
    ("http://224.0.0.1/x.png", NOT_ALLOWED),  # multicast
    ("http://[fe80::1]/x.png", NOT_ALLOWED),  # link-local
    ("file:///etc/passwd", INVALID),
    ("gopher://127.0.0.1:6379/_INFO", INVALID),
    ("ftp://example.com/x.png", INVALID),
    ("javascript:alert(1)", INVALID),
    ("http:///x.png", INVALID),
    ("//127.0.0.1/x.png", INVALID),
]


@pytest.mark.parametrize(("url", "code"), HOSTILE)
def test_hostile_urls_are_refused_before_any_connection(url: str, code: str) -> None:
    with pytest.raises(InvalidRequest) as err:
        asyncio.run(fetch_image(url, policy=AddressPolicy()))
    assert err.value.param == "input_reference"
    assert err.value.code == code, err.value.message


def test_a_name_that_does_not_resolve_is_a_clear_400() -> None:
    with pytest.raises(InvalidRequest, match="does not resolve"):
        asyncio.run(fetch_image("http://no-such-host.invalid/x.png", policy=AddressPolicy()))


def test_data_urls_decode_to_sniffed_images() -> None:
    image = parse_data_url("data:image/png;base64," + base64.b64encode(png_bytes()).decode())
    assert image.mime_type == "image/png" and image.data == png_bytes()
    for bad in ("data:text/plain;base64,aGk=", "data:image/png,notbase64", "data:image/png;base64,!!!"):
        with pytest.raises(InvalidRequest):
            parse_data_url(bad)


def test_the_policy_refuses_private_addresses_but_the_networks_an_operator_allows() -> None:
    policy = AddressPolicy.of(allow_private=False, networks=["10.1.0.0/16"])
    assert policy.refuses("10.2.0.1") and policy.refuses("127.0.0.1") and policy.refuses("::1")
    assert not policy.refuses("10.1.2.3") and not policy.refuses("8.8.8.8")
    assert not AddressPolicy(allow_private=True).refuses("127.0.0.1")
