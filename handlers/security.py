"""Connexion security functions (named by `x-*InfoFunc` in the spec): all four carry one API key."""

from __future__ import annotations

from typing import Any

from connexion.lifecycle import ConnexionRequest


def _principal(key: str | None, request: ConnexionRequest) -> dict[str, Any] | None:
    services = request.scope.get("vidgate.services")
    principal = services.keys.authenticate(key) if services else None
    if principal is None:
        return None
    return {"sub": principal.tenant, "key_id": principal.key_id}


def bearer_info(token: str, request: ConnexionRequest) -> dict[str, Any] | None:
    return _principal(token, request)


def basic_info(username: str, password: str, request: ConnexionRequest) -> dict[str, Any] | None:
    return _principal(password, request)


def api_key_info(api_key: str, request: ConnexionRequest) -> dict[str, Any] | None:
    return _principal(api_key, request)
