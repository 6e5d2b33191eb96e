"""Operational endpoints."""

from __future__ import annotations


async def health_check() -> tuple[dict[str, str], int]:
    return {"status": "ok"}, 200
