"""The six video operations: unpack, one core call, shape the response."""

from __future__ import annotations

import time
from typing import Any

from starlette.responses import FileResponse

from vidgate import wire

from ._context import base_url, services


async def video_generation(body: dict[str, Any], user: str) -> tuple[dict[str, Any], int]:
    started = time.perf_counter()
    job = await services().videos.create(user, body)
    return wire.video_response(job, "video_generation", base_url(), started), 200


async def video_list(
    provider: str, user: str, after: str | None = None, limit: int = 20, order: str = "desc"
) -> tuple[dict[str, Any], int]:
    started = time.perf_counter()
    page = await services().videos.list(user, provider, after=after, limit=limit, order=order)
    return wire.list_response(page, provider, started), 200


async def video_retrieve(video_id: str, user: str) -> tuple[dict[str, Any], int]:
    started = time.perf_counter()
    job = await services().videos.retrieve(user, video_id)
    return wire.video_response(job, "video_retrieve", base_url(), started), 200


async def video_delete(video_id: str, user: str) -> tuple[dict[str, Any], int]:
    started = time.perf_counter()
    job = await services().videos.delete(user, video_id)
    return wire.delete_response(job, started), 200


async def video_download(video_id: str, user: str, variant: str = "video") -> FileResponse:
    asset = await services().videos.open_asset(user, video_id, variant)
    return FileResponse(
        asset.path,
        media_type=asset.content_type,
        headers={"ETag": asset.etag, "Cache-Control": "private, max-age=3600"},
        filename=f"{video_id.split(':', 1)[0]}-{variant}{asset.path.suffix}",
        content_disposition_type="inline",
    )


async def video_remix(video_id: str, body: dict[str, Any], user: str) -> tuple[dict[str, Any], int]:
    started = time.perf_counter()
    job = await services().videos.remix(user, video_id, body)
    return wire.video_response(job, "video_remix", base_url(), started), 200
