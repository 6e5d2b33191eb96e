"""What a handler needs from the request: the app's services and the base URL for links."""

from __future__ import annotations

from connexion import request

from vidgate.app import Services


def services() -> Services:
    found = request.scope.get("vidgate.services")
    if found is None:  # the lifespan has not run (or failed): not a client's fault
        raise RuntimeError("vidgate services are not initialised")
    return found


def base_url() -> str:
    configured = services().settings.public_base_url
    return configured or str(request.base_url)
