"""DNS rebinding: a host that resolves to an allowed address when checked and to a private one when
connected to. The gateway connects to the address it checked, so the private server never hears
from it; and a redirect to a private address is refused before anything is sent there."""

from __future__ import annotations

import asyncio
import io
import socket

import pytest
from PIL import Image
from starlette.applications import Starlette
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from tests.fakes.harness import FakeServer
from tests.support.server import free_port
from vidgate.domain import InvalidRequest
from vidgate.upstream import AddressPolicy, fetch_image

ALLOWED, INTERNAL = "127.0.0.2", "127.0.0.1"  # stand-ins for a public address and a private one
POLICY = AddressPolicy.of(allow_private=False, networks=[f"{ALLOWED}/32"])


def png(colour: tuple[int, int, int]) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), colour).save(buf, "PNG")
    return buf.getvalue()


PUBLIC_IMAGE, INTERNAL_IMAGE = png((0, 0, 255)), png((255, 0, 0))


def image_site(body: bytes, redirect_to: str | None = None) -> Starlette:
    async def serve(request) -> Response:
        return Response(body, media_type="image/png")

    async def redirect(request) -> Response:
        return RedirectResponse(redirect_to or "/", status_code=302)

    return Starlette(routes=[Route("/img.png", serve), Route("/hop", redirect)])


@pytest.fixture
def two_hosts(monkeypatch: pytest.MonkeyPatch):
    """The same port on two loopback addresses; `rebind.test` answers ALLOWED once, then INTERNAL.
        Only INTERNAL counts as private: the policy allows ALLOWED's network, as an operator would allow an
    internal image host."""
    port = free_port()
    lookups: list[str] = []
    real_getaddrinfo = socket.getaddrinfo

    def rebinding(host, *args, **kwargs):
        if host in ("rebind.test", b"rebind.test"):
            answer = ALLOWED if not lookups else INTERNAL
            lookups.append(answer)
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answer, args[0] if args else port))]
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    public = FakeServer(
        image_site(PUBLIC_IMAGE, f"http://{INTERNAL}:{port}/img.png"), host=ALLOWED, port=port
    )
    internal = FakeServer(image_site(INTERNAL_IMAGE), host=INTERNAL, port=port)
    with public, internal:
        yield port, public, internal, lookups


def test_a_rebinding_host_is_fetched_from_the_address_that_was_checked(two_hosts) -> None:
    port, public, internal, lookups = two_hosts
    fetched = asyncio.run(fetch_image(f"http://rebind.test:{port}/img.png", policy=POLICY))
    assert internal.app.calls == [], "the private server was reached through a rebinding name"
    assert fetched.data == PUBLIC_IMAGE and len(public.app.calls) == 1
    assert lookups == [ALLOWED], "the name was resolved more than once"


def test_a_redirect_from_an_allowed_host_to_a_private_one_is_refused(two_hosts) -> None:
    port, public, internal, _ = two_hosts
    with pytest.raises(InvalidRequest) as err:
        asyncio.run(fetch_image(f"http://{ALLOWED}:{port}/hop", policy=POLICY))
    assert err.value.code == "url_not_allowed" and err.value.param == "input_reference"
    assert [c.path for c in public.app.calls] == ["/hop"], "the first hop was followed"
    assert internal.app.calls == [], "the private hop was requested"
