"""The providers and models this gateway offers (what a model picker needs)."""

from __future__ import annotations

from typing import Any

from vidgate.http.context import gateway


async def model_list(user: str) -> tuple[dict[str, Any], int]:
    data: list[dict[str, Any]] = []
    for name, provider in sorted(gateway().providers.offered.items()):
        capabilities = sorted(c.value for c in provider.capabilities)
        entries = [f"{name}/{model}" for model in provider.models] or [f"{name}/*"]
        data += [{"id": entry, "provider": name, "capabilities": capabilities} for entry in entries]
    return {"object": "list", "data": data}, 200
