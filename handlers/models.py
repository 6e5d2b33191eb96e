"""The model catalog: every configured provider's models, their lifecycle, limits and prices."""

from __future__ import annotations

from typing import Any

from vidgate.http import wire
from vidgate.http.context import gateway


async def model_list(user: str) -> tuple[dict[str, Any], int]:
    return wire.model_list(gateway().videos.models()), 200
