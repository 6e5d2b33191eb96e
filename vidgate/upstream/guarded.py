"""HTTP to URLs a caller chose, connected only to addresses that were checked.

Checking a host's addresses and then letting the HTTP client connect by name leaves a window: a
hostile DNS server answers the check with a public address and the connection with a private one
(DNS rebinding). Here the check happens inside the connection: the network backend resolves the
host once, refuses the connection if any address is not allowed, and connects to the address it
checked. TLS still verifies the certificate against the host name. Every redirect hop is a new
connection, so it goes through the same check.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[str]]]
CARRIER_GRADE_NAT = ipaddress.ip_network("100.64.0.0/10")


def blocked_address(ip: IPAddress) -> bool:
    """Loopback, private, link-local (cloud metadata), multicast, reserved or unspecified."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or ip in CARRIER_GRADE_NAT
    )


@dataclass(frozen=True)
class AddressPolicy:
    """Which addresses a caller's URL may reach: public ones, plus the networks the operator allows."""

    allow_private: bool = False
    allowed_networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = field(default=())

    @classmethod
    def of(cls, allow_private: bool, networks: Iterable[str] = ()) -> AddressPolicy:
        return cls(allow_private, tuple(ipaddress.ip_network(n, strict=False) for n in networks))

    def refuses(self, address: str) -> bool:
        if self.allow_private:
            return False
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        return blocked_address(ip) and not any(ip in net for net in self.allowed_networks)


class AddressRefused(Exception):
    """The host resolved to an address the policy refuses: nothing was sent to it."""

    def __init__(self, host: str) -> None:
        super().__init__(f"{host} resolves to a private, loopback or link-local address")
        self.host = host


async def system_resolver(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """Resolves once, checks every address, connects to a checked one."""

    def __init__(self, policy: AddressPolicy, resolve: Resolver = system_resolver) -> None:
        self.policy = policy
        self.resolve = resolve
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface passes it in
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            addresses = await self.resolve(host, port)
        except OSError as exc:
            raise httpcore.ConnectError(f"{host} does not resolve ({exc})") from exc
        if not addresses:
            raise httpcore.ConnectError(f"{host} does not resolve")
        if any(self.policy.refuses(a) for a in addresses):
            raise AddressRefused(host)
        failure: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                failure = exc
        assert failure is not None
        raise failure

    async def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are never reached from a caller's URL")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def _as_httpx_error(exc: httpcore.NetworkError | httpcore.TimeoutException | Exception) -> Exception:
    """httpcore's exceptions mirror httpx's by name (ConnectError, ReadTimeout, ...)."""
    mapped = getattr(httpx, type(exc).__name__, None)
    if isinstance(mapped, type) and issubclass(mapped, httpx.TransportError):
        return mapped(str(exc))
    return httpx.TransportError(str(exc))


class _Body(httpx.AsyncByteStream):
    def __init__(self, stream: Any) -> None:
        self._stream = stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._stream:
                yield chunk
        except httpcore.ReadError as exc:
            raise _as_httpx_error(exc) from exc

    async def aclose(self) -> None:
        await self._stream.aclose()


class GuardedTransport(httpx.AsyncBaseTransport):
    """An httpx transport whose every connection goes through a PinnedBackend."""

    def __init__(self, backend: PinnedBackend, ssl_context: ssl.SSLContext | None = None) -> None:
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context or httpx.create_ssl_context(),
            network_backend=backend,
            max_connections=16,
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        core = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,  # type: ignore[arg-type]
            extensions=request.extensions,
        )
        try:
            response = await self._pool.handle_async_request(core)
        except (httpcore.NetworkError, httpcore.TimeoutException, httpcore.ProtocolError) as exc:
            raise _as_httpx_error(exc) from exc
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_Body(response.stream),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self._pool.aclose()


def guarded_client(
    policy: AddressPolicy, *, timeout: float, resolve: Resolver = system_resolver
) -> httpx.AsyncClient:
    """A client for URLs callers chose; it never follows redirects itself (callers check each hop's
    scheme and count the hops)."""
    return httpx.AsyncClient(
        transport=GuardedTransport(PinnedBackend(policy, resolve)), timeout=timeout, follow_redirects=False
    )
