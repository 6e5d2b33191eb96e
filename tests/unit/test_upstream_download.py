"""Provider credentials reach the provider's own origin only, whatever the URL or its redirects say."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from vidgate.config import ProviderSettings
from vidgate.upstream.client import MAX_REDIRECTS, UpstreamClient
from vidgate.upstream.errors import UpstreamError

pytestmark = pytest.mark.anyio

OWN = "https://provider.example"
CDN = "https://cdn.example"
SECRET = {"x-goog-api-key": "sk-secret", "api-key": "az-secret", "Authorization": "Bearer tok"}


def _client(routes: dict[str, httpx.Response], seen: list[httpx.Request]) -> UpstreamClient:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return routes[str(request.url)]

    return UpstreamClient(
        "test",
        ProviderSettings(max_retries=0),
        auth_headers=SECRET,
        base_url=OWN + "/v1",
        transport=httpx.MockTransport(handle),
    )


def _credentials(request: httpx.Request) -> set[str]:
    return {name for name in SECRET if name.lower() in request.headers}


@pytest.mark.parametrize(
    ("url", "routes", "credentialed"),
    [
        pytest.param(  # a relative path stays on the provider and is credentialed
            "/files/a",
            {f"{OWN}/v1/files/a": httpx.Response(200, content=b"mp4")},
            [True],
            id="own-origin",
        ),
        pytest.param(  # a same-origin redirect keeps credentials, the hop to the CDN drops all of them
            "/files/a",
            {
                f"{OWN}/v1/files/a": httpx.Response(302, headers={"location": f"{OWN}/v1/files/b"}),
                f"{OWN}/v1/files/b": httpx.Response(307, headers={"location": f"{CDN}/signed?x=1"}),
                f"{CDN}/signed?x=1": httpx.Response(200, content=b"mp4"),
            },
            [True, True, False],
            id="redirect-off-origin",
        ),
        pytest.param(  # an absolute URL the provider's answer named, on another host
            f"{CDN}/signed?x=1",
            {f"{CDN}/signed?x=1": httpx.Response(200, content=b"mp4")},
            [False],
            id="absolute-elsewhere",
        ),
        pytest.param(  # once off the origin, a redirect back does not restore credentials
            f"{OWN}/v1/files/a",
            {
                f"{OWN}/v1/files/a": httpx.Response(302, headers={"location": f"{CDN}/x"}),
                f"{CDN}/x": httpx.Response(302, headers={"location": f"{OWN}/v1/files/c"}),
                f"{OWN}/v1/files/c": httpx.Response(200, content=b"mp4"),
            },
            [True, False, False],
            id="no-credentials-after-leaving",
        ),
        pytest.param(  # another port is another origin (http downgrade or a side service)
            "http://provider.example:8080/a",
            {"http://provider.example:8080/a": httpx.Response(200, content=b"mp4")},
            [False],
            id="other-port",
        ),
    ],
)
async def test_credentials_only_on_the_providers_origin(
    tmp_path: Path, url: str, routes: dict[str, httpx.Response], credentialed: list[bool]
) -> None:
    seen: list[httpx.Request] = []
    client = _client(routes, seen)
    try:
        written = await client.download(url, tmp_path / "v.mp4", max_bytes=100)
    finally:
        await client.aclose()
    assert written == 3 and (tmp_path / "v.mp4").read_bytes() == b"mp4"
    assert [bool(_credentials(r)) for r in seen] == credentialed
    assert all(_credentials(r) in (set(), set(SECRET)) for r in seen)  # all or nothing


async def test_redirect_loops_end_in_a_clear_error(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []
    client = _client({f"{OWN}/v1/loop": httpx.Response(302, headers={"location": f"{OWN}/v1/loop"})}, seen)
    try:
        with pytest.raises(UpstreamError, match="redirects"):
            await client.download("/loop", tmp_path / "v.mp4", max_bytes=100)
    finally:
        await client.aclose()
    assert len(seen) == MAX_REDIRECTS + 1


async def test_unauthenticated_downloads_never_carry_credentials(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []
    client = _client({f"{OWN}/v1/files/a": httpx.Response(200, content=b"mp4")}, seen)
    try:
        await client.download(f"{OWN}/v1/files/a", tmp_path / "v.mp4", max_bytes=100, authenticated=False)
    finally:
        await client.aclose()
    assert [_credentials(r) for r in seen] == [set()]
