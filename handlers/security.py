"""Connexion security functions (named by `x-*InfoFunc` in the spec): all four carry one API key.

A valid key over its request rate gets a 429 here, before any work is done.
"""

from __future__ import annotations

from typing import Any

from connexion.lifecycle import ConnexionRequest


async def _principal(key: str | None, request: ConnexionRequest) -> dict[str, Any] | None:
    services = request.scope.get("vidgate.services")
    principal = await services.keys.authenticate(key) if services else None
    if principal is None:
        return None
    rpm = principal.requests_per_minute or services.settings.rate_limit_per_minute
    services.limiter.check(principal.key_id, rpm)
    request.scope.get("vidgate.request", {})["key_id"] = principal.key_id  # for the access log
    return {"sub": principal.tenant, "key_id": principal.key_id, "max_active_jobs": principal.max_active_jobs}


async def bearer_info(token: str, request: ConnexionRequest) -> dict[str, Any] | None:
    return await _principal(token, request)


async def basic_info(username: str, password: str, request: ConnexionRequest) -> dict[str, Any] | None:
    return await _principal(password, request)


async def api_key_info(api_key: str, request: ConnexionRequest) -> dict[str, Any] | None:
    return await _principal(api_key, request)
