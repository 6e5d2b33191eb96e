"""httpx's API over aiohttp's connection pool and C HTTP parser.

Every provider call and every poll goes through the UpstreamClient; one call costs ~0.47 ms of
CPU on this wire against ~0.76 ms on httpx's own (httpcore), measured side by side by `make bench`
(the `cpu` part). The adapters keep httpx's Request and Response; only the wire changes.

The exceptions are mapped with care, because a create's safety rests on them: only a failure to
connect means "never sent" (httpx.ConnectError / ConnectTimeout, which a create may retry);
anything after the connection was made is "sent, no answer" (ReadError, ReadTimeout,
RemoteProtocolError), which a create must never retry blind.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:  # imported on the first call: a gateway with only the local provider never loads it
    import aiohttp

_DROPPED = frozenset({"content-length", "transfer-encoding"})  # aiohttp sets them for the body it sends


def _mapped(exc: BaseException) -> httpx.TransportError:
    import aiohttp

    message = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return httpx.ConnectTimeout(message)
    if isinstance(exc, aiohttp.ClientConnectorError):  # DNS, refused, TLS handshake: nothing sent
        return httpx.ConnectError(message)
    if isinstance(exc, aiohttp.SocketTimeoutError | aiohttp.ServerTimeoutError | TimeoutError):
        return httpx.ReadTimeout(message)
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return httpx.RemoteProtocolError(message)
    if isinstance(exc, aiohttp.InvalidURL):
        return httpx.UnsupportedProtocol(message)
    return httpx.ReadError(message)  # a reset, a broken payload...: sent, answer lost


class _Body(httpx.AsyncByteStream):
    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self._response = response

    async def __aiter__(self) -> AsyncIterator[bytes]:
        import aiohttp

        try:
            async for chunk in self._response.content.iter_chunked(1 << 16):
                yield chunk
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise _mapped(exc) from exc

    async def aclose(self) -> None:
        self._response.release()


class AiohttpTransport(httpx.AsyncBaseTransport):
    """One aiohttp session (made in the running loop on first use) behind httpx."""

    def __init__(self, *, max_connections: int, keepalive_expiry: float = 5.0) -> None:
        self._max_connections = max_connections
        self._keepalive_expiry = keepalive_expiry
        self._ssl: ssl.SSLContext = httpx.create_ssl_context()
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:
            import aiohttp

            connector = aiohttp.TCPConnector(
                limit=self._max_connections, keepalive_timeout=self._keepalive_expiry, ssl=self._ssl
            )
            self._session = aiohttp.ClientSession(
                connector=connector, auto_decompress=False, cookie_jar=aiohttp.DummyCookieJar()
            )
        return self._session

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        import aiohttp
        import yarl

        timeout = request.extensions.get("timeout", {})
        body = await request.aread()
        headers = [
            (name.decode("latin-1"), value.decode("latin-1"))
            for name, value in request.headers.raw
            if name.decode("latin-1").lower() not in _DROPPED
        ]
        try:
            response = await self._client().request(
                request.method,
                yarl.URL(str(request.url), encoded=True),  # byte for byte: a signature covers it
                headers=headers,
                data=body or None,
                allow_redirects=False,
                skip_auto_headers=(
                    "User-Agent",
                    "Accept",
                    "Accept-Encoding",
                    "Content-Type",
                ),  # httpx sets its own
                timeout=aiohttp.ClientTimeout(
                    sock_connect=timeout.get("connect"),
                    sock_read=timeout.get("read"),
                    connect=timeout.get("pool"),
                ),
            )
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise _mapped(exc) from exc
        return httpx.Response(
            response.status,
            headers=response.raw_headers,
            stream=_Body(response),
            extensions={"http_version": b"HTTP/1.1"},
            request=request,
        )

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
