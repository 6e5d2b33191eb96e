"""The OpenAI Videos API surface (`/openai/v1/videos`), for unmodified OpenAI SDKs."""

from __future__ import annotations

from typing import Any

from connexion import request
from starlette.responses import JSONResponse, Response

from vidgate.http import wire
from vidgate.http.assets import asset_response
from vidgate.http.context import caller, gateway, idempotency_key

from ._uploads import request_fields, source_fields

POLL_AFTER_MS = "500"


async def openai_video_create(
    user: str, token_info: dict[str, Any], body: dict[str, Any] | None = None, **form: Any
) -> tuple[dict, int]:
    fields = await request_fields(
        body, form, ("prompt", "model", "seconds", "size", "input_reference", "characters")
    )
    job = await gateway().videos.create(caller(user, token_info), fields, idempotency_key())
    return wire.openai_video(job), 200


async def openai_video_list(
    user: str, after: str | None = None, limit: int = 20, order: str = "desc"
) -> tuple[dict, int]:
    page = await gateway().videos.list(user, None, after=after, limit=limit, order=order)
    return wire.openai_list(page), 200


async def openai_video_retrieve(video_id: str, user: str) -> Response:
    job = await gateway().videos.retrieve(user, video_id)
    return JSONResponse(wire.openai_video(job), headers={"openai-poll-after-ms": POLL_AFTER_MS})


async def openai_video_delete(video_id: str, user: str) -> tuple[dict, int]:
    job = await gateway().videos.delete(user, video_id)
    return {"id": job.public_id, "object": "video.deleted", "deleted": True}, 200


async def openai_video_download_content(video_id: str, user: str, variant: str = "video") -> Response:
    asset = await gateway().videos.open_asset(user, video_id, variant)
    return asset_response(asset, request.headers, video_id, variant)


async def openai_video_remix(
    video_id: str, body: dict[str, Any], user: str, token_info: dict[str, Any]
) -> tuple[dict, int]:
    job = await gateway().videos.remix(
        caller(user, token_info), video_id, {"prompt": body["prompt"]}, idempotency_key()
    )
    return wire.openai_video(job), 200


async def openai_video_edit(
    user: str, token_info: dict[str, Any], body: dict[str, Any] | None = None, **form: Any
) -> tuple[dict, int]:
    fields, upload = await source_fields(body, form, ("prompt", "model"))
    job = await gateway().operations.edit(caller(user, token_info), fields, upload, idempotency_key())
    return wire.openai_video(job), 200


async def openai_video_extend(
    user: str, token_info: dict[str, Any], body: dict[str, Any] | None = None, **form: Any
) -> tuple[dict, int]:
    fields, upload = await source_fields(body, form, ("prompt", "model", "seconds"))
    job = await gateway().operations.extend(caller(user, token_info), fields, upload, idempotency_key())
    return wire.openai_video(job), 200


async def openai_video_create_character(
    user: str, token_info: dict[str, Any], body: dict[str, Any] | None = None, **form: Any
) -> tuple[dict, int]:
    fields, upload = await source_fields(body, form, ("name",))
    made = await gateway().characters.create(caller(user, token_info), fields, upload, idempotency_key())
    return wire.openai_character(made), 200


async def openai_video_get_character(character_id: str, user: str) -> tuple[dict, int]:
    return wire.openai_character(await gateway().characters.retrieve(user, character_id)), 200
