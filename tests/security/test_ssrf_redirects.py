"""A caller's URL that redirects is checked again at every hop (scheme, then address)."""

from __future__ import annotations

import asyncio

import pytest
from starlette.applications import Starlette
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from tests.fakes.harness import FakeServer, png_bytes
from vidgate.domain import InvalidRequest
from vidgate.upstream import AddressPolicy, fetch_image

OPEN, GUARDED = AddressPolicy(allow_private=True), AddressPolicy()

TARGETS = {
    "file": "file:///etc/passwd",
    "gopher": "gopher://127.0.0.1:6379/_FLUSHALL",
    "metadata": "http://169.254.169.254/latest/meta-data/",
    "loop": "/r/loop",
}


async def redirect(request) -> Response:
    return RedirectResponse(TARGETS[request.path_params["to"]], status_code=302)


async def image(request) -> Response:
    return Response(png_bytes(), media_type="image/png")


@pytest.fixture(scope="module")
def site():
    with FakeServer(Starlette(routes=[Route("/r/{to}", redirect), Route("/ok.png", image)])) as server:
        yield server


@pytest.mark.parametrize("to", ["file", "gopher", "loop"])
def test_redirects_to_forbidden_schemes_or_loops_are_refused(site: FakeServer, to: str) -> None:
    # The loopback fake is allowed here (as in tests); the next hop is checked on its own.
    with pytest.raises(InvalidRequest) as err:
        asyncio.run(fetch_image(f"{site.url}/r/{to}", policy=OPEN))
    assert err.value.param == "input_reference"


def test_a_redirect_from_an_allowed_host_to_a_metadata_address_is_refused(site: FakeServer) -> None:
    # The site's own address is allowed (as an operator allows an internal image host), so the first
    # hop is followed; the metadata address it redirects to is refused before anything is sent.
    site_allowed = AddressPolicy.of(allow_private=False, networks=["127.0.0.1/32"])
    with pytest.raises(InvalidRequest) as err:
        asyncio.run(fetch_image(f"{site.url}/r/metadata", policy=site_allowed))
    assert err.value.code == "url_not_allowed"
    assert [c.path for c in site.app.calls if c.path == "/r/metadata"] == ["/r/metadata"]


def test_without_an_allowance_the_first_loopback_hop_is_refused(site: FakeServer) -> None:
    before = len(site.app.calls)
    with pytest.raises(InvalidRequest) as err:
        asyncio.run(fetch_image(f"{site.url}/ok.png", policy=GUARDED))
    assert err.value.code == "url_not_allowed" and len(site.app.calls) == before


def test_a_plain_image_url_is_fetched(site: FakeServer) -> None:
    fetched = asyncio.run(fetch_image(f"{site.url}/ok.png", policy=OPEN))
    assert fetched.mime_type == "image/png" and fetched.data == png_bytes()
