"""A lean loopback stand-in for the OpenAI Videos API, for benchmarks (run in its own process).

Unlike the test fakes (tests/fakes/), it records nothing per request but counters, so that
"direct" numbers measure HTTP on this stack, not bookkeeping. Behaviour comes from the
environment:

    FAKE_COMPLETE_AFTER   seconds a job stays in_progress (default 0: completed at once)
    FAKE_CONTENT_FILE     the file served as variant=video (default: a few bytes)

    uvicorn bench.fake_upstream:app --port N
"""

from __future__ import annotations

import collections
import os
import time
import uuid
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

COMPLETE_AFTER = float(os.environ.get("FAKE_COMPLETE_AFTER", "0"))
CONTENT_FILE = os.environ.get("FAKE_CONTENT_FILE")
STILL = b"RIFF\x00\x00\x00\x00WEBPVP8 "  # enough for a content-type sniff; never decoded

videos: dict[str, dict[str, Any]] = {}
polls: collections.Counter[str] = collections.Counter()
creates = 0


def _view(video: dict[str, Any]) -> dict[str, Any]:
    done = time.time() - video["_t"] >= COMPLETE_AFTER
    public = {k: v for k, v in video.items() if not k.startswith("_")}
    public.update(status="completed", progress=100) if done else public.update(status="in_progress")
    if done:
        public["completed_at"] = int(video["_t"] + COMPLETE_AFTER)
    return public


async def create(request: Request) -> Response:
    global creates
    if request.headers.get("content-type", "").startswith("application/json"):
        fields: dict[str, Any] = await request.json()
    else:  # the official SDK and LiteLLM send multipart
        fields = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    creates += 1
    video_id = f"video_{uuid.uuid4().hex}"
    videos[video_id] = {
        "id": video_id,
        "object": "video",
        "model": fields.get("model", "sora-2"),
        "prompt": fields.get("prompt"),
        "seconds": str(fields.get("seconds", "4")),
        "size": fields.get("size", "720x1280"),
        "created_at": int(time.time()),
        "progress": 0,
        "_t": time.time(),
    }
    return JSONResponse({**_view(videos[video_id]), "status": "queued", "progress": 0})


def _find(request: Request) -> dict[str, Any] | Response:
    video = videos.get(request.path_params["video_id"])
    if video is None:
        return JSONResponse({"error": {"message": "no such video", "type": "invalid_request_error"}}, 404)
    return video


async def retrieve(request: Request) -> Response:
    found = _find(request)
    if isinstance(found, Response):
        return found
    polls[found["id"]] += 1
    return JSONResponse(_view(found))


async def content(request: Request) -> Response:
    found = _find(request)
    if isinstance(found, Response):
        return found
    if request.query_params.get("variant", "video") != "video":
        return Response(STILL, media_type="image/webp")
    if CONTENT_FILE:
        response = FileResponse(CONTENT_FILE, media_type="video/mp4")
        response.chunk_size = 1 << 20  # as the gateway reads (vidgate.http_assets): a like-for-like baseline
        return response
    return Response(b"\x00\x00\x00\x18ftypmp42", media_type="video/mp4")


async def delete(request: Request) -> Response:
    found = _find(request)
    if isinstance(found, Response):
        return found
    videos.pop(found["id"], None)
    return JSONResponse({"id": found["id"], "object": "video.deleted", "deleted": True})


async def listing(request: Request) -> Response:
    data = [_view(v) for v in list(videos.values())[-100:]][::-1]
    return JSONResponse({"object": "list", "data": data, "has_more": False})


async def stats(request: Request) -> Response:
    return JSONResponse({"creates": creates, "polls": dict(polls)})


async def stats_reset(request: Request) -> Response:
    global creates
    polls.clear()
    creates = 0
    return JSONResponse({"reset": True})


app = Starlette(
    routes=[
        Route("/v1/videos", create, methods=["POST"]),
        Route("/v1/videos", listing, methods=["GET"]),
        Route("/v1/videos/{video_id}", retrieve, methods=["GET"]),
        Route("/v1/videos/{video_id}", delete, methods=["DELETE"]),
        Route("/v1/videos/{video_id}/content", content, methods=["GET"]),
        Route("/_stats", stats, methods=["GET"]),
        Route("/_stats/reset", stats_reset, methods=["POST"]),
    ]
)
