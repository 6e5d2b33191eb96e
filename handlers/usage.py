"""Usage: seconds of video generated, per API key, provider and model."""

from __future__ import annotations

from typing import Any

from vidgate.http.context import gateway


async def usage_summary(user: str, since: int = 0) -> tuple[dict[str, Any], int]:
    lines = await gateway().videos.usage(user, float(since))
    data = [
        {
            "key_id": u.key_id or None,
            "provider": u.provider,
            "model": u.model,
            "seconds": u.seconds,
            "videos": u.videos,
        }
        for u in lines
    ]
    data = [{k: v for k, v in row.items() if v is not None} for row in data]
    return {
        "object": "usage",
        "since": since,
        "total_seconds": sum(r["seconds"] for r in data),
        "data": data,
    }, 200
