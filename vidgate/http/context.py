"""What a handler needs from the request: the gateway, the caller, and the base URL for links."""

from __future__ import annotations

import functools
from typing import Any

from connexion.context import _scope
from starlette.datastructures import URL

from ..domain import Caller
from ..gateway import Gateway

# Connexion's `request` proxy builds a ConnexionRequest on every attribute read (~5 µs): a lookup
# read it three times. The scope and its headers are read from Connexion's context directly.


def gateway() -> Gateway:
    found = _scope.get().get("vidgate.gateway")
    if found is None:  # the lifespan has not run (or failed): not a client's fault
        raise RuntimeError("the vidgate gateway is not initialised")
    return found


def caller(user: str, token_info: dict[str, Any]) -> Caller:
    """The Caller the security function made of the API key (Connexion hands token_info over)."""
    found = token_info.get("caller")
    return found if isinstance(found, Caller) else Caller(user)


def idempotency_key() -> str | None:
    headers = _scope.get()["headers"]  # ASGI: names in lower case
    return next((v.decode("latin-1") for k, v in headers if k == b"idempotency-key"), None)


@functools.lru_cache(maxsize=256)
def _base_url(scheme: str, host: bytes | None, server: tuple[str, int] | None, root_path: str) -> str:
    """Starlette's `request.base_url`, built once per (scheme, Host, server, root path)."""
    scope = {
        "type": "http",
        "scheme": scheme,
        "server": server,
        "root_path": root_path,
        "path": root_path.rstrip("/") + "/",
        "query_string": b"",
        "headers": [(b"host", host)] if host is not None else [],
    }
    return str(URL(scope=scope))


def base_url() -> str:
    configured = gateway().settings.public_base_url
    if configured:
        return configured
    scope = _scope.get()
    host = next((v for k, v in scope["headers"] if k == b"host"), None)
    server = scope.get("server")
    root_path = scope.get("app_root_path", scope.get("root_path", ""))
    return _base_url(scope.get("scheme", "http"), host, tuple(server) if server else None, root_path)
