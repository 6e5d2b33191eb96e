"""Connexion security functions (named by `x-*InfoFunc` in the spec): all four carry one API key.

A valid key over its request rate gets a 429 here, before any work is done.
"""

from __future__ import annotations

from typing import Any

from connexion.lifecycle import ConnexionRequest


async def _principal(key: str | None, request: ConnexionRequest) -> dict[str, Any] | None:
    gateway = request.scope.get("vidgate.gateway")
    caller = await gateway.authenticator.authenticate(key) if gateway else None
    if caller is None:
        return None
    await gateway.limiter.check(
        caller.key_id, caller.requests_per_minute or gateway.settings.rate_limit_per_minute
    )
    request.scope.get("vidgate.request", {})["key_id"] = caller.key_id  # for the access log
    return {"sub": caller.tenant, "caller": caller}


async def bearer_info(token: str, request: ConnexionRequest) -> dict[str, Any] | None:
    return await _principal(token, request)


async def basic_info(username: str, password: str, request: ConnexionRequest) -> dict[str, Any] | None:
    return await _principal(password, request)


async def api_key_info(api_key: str, request: ConnexionRequest) -> dict[str, Any] | None:
    return await _principal(api_key, request)


async def admin_key_info(api_key: str, request: ConnexionRequest) -> dict[str, Any] | None:
    """The admin API: an operator's admin key, never an ordinary API key."""
    gateway = request.scope.get("vidgate.gateway")
    if gateway is None or not gateway.admin_keys.check(api_key):
        return None
    request.scope.get("vidgate.request", {})["key_id"] = "admin"  # for the access log
    return {"sub": "admin"}
