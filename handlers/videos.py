"""The video operations: unpack, one core call, shape the response."""

from __future__ import annotations

import time
from typing import Any

from connexion import request
from starlette.responses import Response

from vidgate.http import wire
from vidgate.http.assets import asset_response
from vidgate.http.context import base_url, caller, gateway, idempotency_key

from ._uploads import request_fields, source_fields

FIELDS = (
    "model",
    "prompt",
    "seconds",
    "size",
    "negative_prompt",
    "seed",
    "audio",
    "input_reference",
    "video_uri",
    "fallbacks",
    "characters",
)


async def video_generation(
    user: str, token_info: dict[str, Any], body: dict[str, Any] | None = None, **form: Any
) -> tuple[dict[str, Any], int]:
    started = time.perf_counter()
    fields = await request_fields(body, form, FIELDS)
    job = await gateway().videos.create(caller(user, token_info), fields, idempotency_key())
    return wire.video_response(job, "video_generation", base_url(), started), 200


async def video_list(
    provider: str, user: str, after: str | None = None, limit: int = 20, order: str = "desc"
) -> tuple[dict[str, Any], int]:
    started = time.perf_counter()
    page = await gateway().videos.list(user, provider, after=after, limit=limit, order=order)
    return wire.list_response(page, provider, started), 200


async def video_retrieve(video_id: str, user: str) -> tuple[dict[str, Any], int]:
    started = time.perf_counter()
    job = await gateway().videos.retrieve(user, video_id)
    return wire.video_response(job, "video_retrieve", base_url(), started), 200


async def video_delete(video_id: str, user: str) -> tuple[dict[str, Any], int]:
    started = time.perf_counter()
    job = await gateway().videos.delete(user, video_id)
    return wire.delete_response(job, started), 200


async def video_download(video_id: str, user: str, variant: str = "video") -> Response:
    asset = await gateway().videos.open_asset(user, video_id, variant)
    return asset_response(asset, request.headers, video_id, variant)


async def video_remix(
    video_id: str, body: dict[str, Any], user: str, token_info: dict[str, Any]
) -> tuple[dict[str, Any], int]:
    started = time.perf_counter()
    job = await gateway().videos.remix(caller(user, token_info), video_id, body, idempotency_key())
    return wire.video_response(job, "video_remix", base_url(), started), 200


async def video_edit(
    user: str, token_info: dict[str, Any], body: dict[str, Any] | None = None, **form: Any
) -> tuple[dict[str, Any], int]:
    started = time.perf_counter()
    fields, upload = await source_fields(body, form, ("prompt", "model"))
    job = await gateway().operations.edit(caller(user, token_info), fields, upload, idempotency_key())
    return wire.video_response(job, "video_edit", base_url(), started), 200


async def video_extend(
    user: str, token_info: dict[str, Any], body: dict[str, Any] | None = None, **form: Any
) -> tuple[dict[str, Any], int]:
    started = time.perf_counter()
    fields, upload = await source_fields(body, form, ("prompt", "model", "seconds"))
    job = await gateway().operations.extend(caller(user, token_info), fields, upload, idempotency_key())
    return wire.video_response(job, "video_extend", base_url(), started), 200


async def video_character_create(
    user: str, token_info: dict[str, Any], body: dict[str, Any] | None = None, **form: Any
) -> tuple[dict[str, Any], int]:
    started = time.perf_counter()
    fields, upload = await source_fields(body, form, ("name",))
    made = await gateway().characters.create(caller(user, token_info), fields, upload, idempotency_key())
    return wire.character_response(made, started), 200


async def video_character_retrieve(character_id: str, user: str) -> tuple[dict[str, Any], int]:
    started = time.perf_counter()
    found = await gateway().characters.retrieve(user, character_id)
    return wire.character_response(found, started), 200
