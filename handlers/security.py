"""Connexion security functions (named by `x-*InfoFunc` in the spec): all four carry one API key.

A valid key over its request rate gets a 429 here, before any work is done.
"""

from __future__ import annotations

from typing import Any

from connexion.lifecycle import ConnexionRequest

from vidgate.http.auth import api_key_scheme, principal


@api_key_scheme
async def bearer_info(token: str, request: ConnexionRequest) -> dict[str, Any] | None:
    return await principal(request.scope, token)


@api_key_scheme
async def basic_info(username: str, password: str, request: ConnexionRequest) -> dict[str, Any] | None:
    return await principal(request.scope, password)


@api_key_scheme
async def api_key_info(api_key: str, request: ConnexionRequest) -> dict[str, Any] | None:
    return await principal(request.scope, api_key)


async def admin_key_info(api_key: str, request: ConnexionRequest) -> dict[str, Any] | None:
    """The admin API: an operator's admin key, never an ordinary API key."""
    gateway = request.scope.get("vidgate.gateway")
    if gateway is None or not gateway.admin_keys.check(api_key):
        return None
    request.scope.get("vidgate.request", {})["key_id"] = "admin"  # for the access log
    return {"sub": "admin"}
