"""A caller's URL that redirects is checked again at every hop (scheme, then address)."""

from __future__ import annotations

import asyncio

import pytest
from starlette.applications import Starlette
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from tests.fakes.harness import FakeServer, png_bytes
from vidgate.errors import VidgateError
from vidgate.inputs import fetch_image

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
    with pytest.raises(VidgateError) as err:
        asyncio.run(fetch_image(f"{site.url}/r/{to}", allow_private=True))
    assert err.value.status == 400 and err.value.param == "input_reference"


def test_a_redirect_to_a_metadata_address_is_refused_when_private_is_off(site: FakeServer) -> None:
    # With private addresses refused, even the first (loopback) hop is refused: nothing is fetched.
    with pytest.raises(VidgateError) as err:
        asyncio.run(fetch_image(f"{site.url}/r/metadata", allow_private=False))
    assert err.value.code == "url_not_allowed"


def test_a_plain_image_url_is_fetched(site: FakeServer) -> None:
    fetched = asyncio.run(fetch_image(f"{site.url}/ok.png", allow_private=True))
    assert fetched.mime_type == "image/png" and fetched.data == png_bytes()
