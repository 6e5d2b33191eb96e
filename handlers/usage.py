"""Usage: the caller's tenant's spend in dollars and seconds, and the budgets it counts against."""

from __future__ import annotations

from typing import Any

from vidgate.http import wire
from vidgate.http.context import caller, gateway


async def usage_summary(user: str, token_info: dict[str, Any], since: int = 0) -> tuple[dict[str, Any], int]:
    lines, budgets = await gateway().videos.usage(caller(user, token_info), float(since))
    return wire.usage_response(lines, budgets, since), 200
