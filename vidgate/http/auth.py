"""What an ordinary API key admits: the caller it belongs to, counted against its request rate.

Connexion's security functions (handlers/security.py, named by the spec's `x-*InfoFunc`) and the
shortcut (shortcut.py) both come here, so a key means the same on either path.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from ..domain import Caller

F = TypeVar("F", bound=Callable[..., Any])


def api_key_scheme(function: F) -> F:
    """Marks a security function whose only check is `principal`: the shortcut may stand in for it."""
    function.__vidgate_api_key_scheme__ = True  # type: ignore[attr-defined]
    return function


def is_api_key_scheme(function: Callable[..., Any]) -> bool:
    return getattr(function, "__vidgate_api_key_scheme__", False) is True


def rate_limit(gateway: Any, caller: Caller) -> int:
    """The caller's requests per minute (0: unlimited): its key's own, else the gateway's."""
    return caller.requests_per_minute or gateway.settings.rate_limit_per_minute


async def caller_of(scope: dict[str, Any], key: str | None) -> Caller | None:
    gateway = scope.get("vidgate.gateway")
    return await gateway.authenticator.authenticate(key) if gateway else None


def admitted(scope: dict[str, Any], caller: Caller) -> dict[str, Any]:
    """Connexion's token_info for the caller; the key's id goes to the access log."""
    scope.get("vidgate.request", {})["key_id"] = caller.key_id
    return {"sub": caller.tenant, "caller": caller}


async def principal(scope: dict[str, Any], key: str | None) -> dict[str, Any] | None:
    """The caller of a valid key, after counting the request (429 over its rate); None otherwise."""
    caller = await caller_of(scope, key)
    if caller is None:
        return None
    gateway = scope["vidgate.gateway"]
    await gateway.limiter.check(caller.key_id, rate_limit(gateway, caller))
    return admitted(scope, caller)
