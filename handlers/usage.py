"""Usage: seconds of video generated, per API key, provider and model."""

from __future__ import annotations

from typing import Any

from ._context import services


async def usage_summary(user: str, since: int = 0) -> tuple[dict[str, Any], int]:
    rows = await services().videos.usage(user, float(since))
    data = [
        {"key_id": key or None, "provider": provider, "model": model, "seconds": seconds, "videos": videos}
        for key, provider, model, seconds, videos in rows
    ]
    data = [{k: v for k, v in row.items() if v is not None} for row in data]
    return {
        "object": "usage",
        "since": since,
        "total_seconds": sum(r["seconds"] for r in data),
        "data": data,
    }, 200
