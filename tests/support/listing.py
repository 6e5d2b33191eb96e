"""Every job a key can see, paged through to the end (a single `limit=100` page goes vacuous once a
session has made more than 100 jobs)."""

from __future__ import annotations

import httpx


def list_all(client: httpx.Client, provider: str, *, headers: dict[str, str] | None = None) -> list[dict]:
    found: list[dict] = []
    params: dict[str, str | int] = {"provider": provider, "limit": 100}
    for _ in range(1000):
        page = client.get("/v1/videos", params=params, headers=headers or {}).raise_for_status().json()
        found += page["data"]
        if not page["has_more"]:
            return found
        params["after"] = page["last_id"]
    raise AssertionError("more than 100,000 jobs listed")
