"""A fake of the OpenAI Videos API (and Azure OpenAI's copy of it under /openai/v1/videos).

It checks what an OpenAI client must send (auth header, seconds as a string, multipart for an
image) and answers in OpenAI's shapes: video objects, `openai-poll-after-ms`, error bodies.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .harness import sample_media

CONTENT_TYPES = {"video": "video/mp4", "thumbnail": "image/webp", "spritesheet": "image/jpeg"}


@dataclass
class FakeVideo:
    id: str
    model: str
    prompt: str
    seconds: str
    size: str
    created_at: int
    polls: int = 0
    status: str = "queued"
    progress: int = 0
    remixed_from: str | None = None
    had_image: str | None = None
    extra: dict = field(default_factory=dict)


def error(status: int, message: str, code: str | None = None, param: str | None = None) -> JSONResponse:
    return JSONResponse(
        {"error": {"message": message, "type": "invalid_request_error", "param": param, "code": code}}, status
    )


class OpenAIVideosFake:
    """State and routes; `polls_to_complete` GETs take a job from queued to completed."""

    def __init__(
        self,
        *,
        prefix: str = "/v1/videos",
        key: str = "sk-fake",
        azure: bool = False,
        polls_to_complete: int = 3,
        thumbnails: bool = True,
    ) -> None:
        self.prefix, self.key, self.azure = prefix, key, azure
        self.polls_to_complete = polls_to_complete
        self.thumbnails = thumbnails
        self.videos: dict[str, FakeVideo] = {}
        self.creates = 0
        self._ids = itertools.count(1)

    def authorized(self, request: Request) -> bool:
        if self.azure:
            return request.headers.get("api-key") == self.key
        return request.headers.get("authorization") == f"Bearer {self.key}"

    def _object(self, v: FakeVideo) -> dict:
        out = {
            "id": v.id,
            "object": "video",
            "model": v.model,
            "status": v.status,
            "progress": v.progress,
            "created_at": v.created_at,
            "completed_at": None,
            "expires_at": None,
            "prompt": v.prompt,
            "size": v.size,
            "seconds": v.seconds,
            "remixed_from_video_id": v.remixed_from,
            "error": None,
        }
        if v.status == "completed":
            out["completed_at"] = out["expires_at"] = v.created_at + 60
        if v.status == "failed":
            out["error"] = {"code": "moderation_blocked", "message": "the prompt was blocked by moderation"}
        return out

    def _new(self, model: str, prompt: str, seconds: str, size: str, **kw) -> FakeVideo:
        self.creates += 1
        v = FakeVideo(
            f"video_fake{next(self._ids):04d}", model, prompt, seconds, size, int(time.time()), **kw
        )
        self.videos[v.id] = v
        return v

    async def create(self, request: Request) -> Response:
        if not self.authorized(request):
            return error(401, "Incorrect API key provided", "invalid_api_key")
        content_type = request.headers.get("content-type", "")
        image = None
        if content_type.startswith("multipart/form-data"):
            form = await request.form()
            fields = {k: v for k, v in form.items() if isinstance(v, str)}
            upload = form.get("input_reference")
            if upload is not None and not isinstance(upload, str):
                image = upload.content_type
        else:
            fields = await request.json()
        if not isinstance(fields.get("seconds", "4"), str):
            return error(400, "Invalid type for 'seconds': expected a string", "invalid_type", "seconds")
        if fields.get("model", "sora-2") not in ("sora-2", "sora-2-pro") and not self.azure:
            return error(404, f"The model '{fields.get('model')}' does not exist", "model_not_found", "model")
        v = self._new(
            fields.get("model", "sora-2"),
            fields["prompt"],
            fields.get("seconds", "4"),
            fields.get("size", "720x1280"),
            had_image=image,
        )
        return JSONResponse(self._object(v))

    def _find(self, request: Request) -> FakeVideo | Response:
        if not self.authorized(request):
            return error(401, "Incorrect API key provided", "invalid_api_key")
        v = self.videos.get(request.path_params["video_id"])
        return v if v is not None else error(404, "Video not found", "not_found")

    async def retrieve(self, request: Request) -> Response:
        v = self._find(request)
        if isinstance(v, Response):
            return v
        if v.status in ("queued", "in_progress"):
            v.polls += 1
            if "STUCK" in v.prompt:  # a job the provider never finishes
                v.status, v.progress = "in_progress", 10
            elif "FAIL" in v.prompt and v.polls >= 2:
                v.status = "failed"
            elif v.polls >= self.polls_to_complete:
                v.status, v.progress = "completed", 100
            else:
                v.status, v.progress = "in_progress", int(100 * v.polls / self.polls_to_complete)
        return JSONResponse(self._object(v), headers={"openai-poll-after-ms": "50"})

    async def content(self, request: Request) -> Response:
        v = self._find(request)
        if isinstance(v, Response):
            return v
        variant = request.query_params.get("variant", "video")
        if v.status != "completed":
            return error(404, "Video is not ready yet", "not_ready")
        if variant != "video" and not self.thumbnails:
            return error(404, f"No {variant} for this video", "not_found")
        return Response(sample_media()[variant], media_type=CONTENT_TYPES[variant])

    async def remix(self, request: Request) -> Response:
        v = self._find(request)
        if isinstance(v, Response):
            return v
        if v.status != "completed":
            return error(400, "Video must be completed to remix", "invalid_state")
        body = await request.json()
        new = self._new(v.model, body["prompt"], v.seconds, v.size, remixed_from=v.id)
        return JSONResponse(self._object(new))

    async def delete(self, request: Request) -> Response:
        v = self._find(request)
        if isinstance(v, Response):
            return v
        del self.videos[v.id]
        return JSONResponse({"id": v.id, "object": "video.deleted", "deleted": True})

    async def list(self, request: Request) -> Response:
        if not self.authorized(request):
            return error(401, "Incorrect API key provided", "invalid_api_key")
        data = sorted(self.videos.values(), key=lambda v: v.id, reverse=True)
        after = request.query_params.get("after")
        if after:
            data = [v for v in data if v.id < after]
        limit = int(request.query_params.get("limit", 20))
        page = [self._object(v) for v in data[:limit]]
        return JSONResponse(
            {
                "object": "list",
                "data": page,
                "first_id": page[0]["id"] if page else None,
                "last_id": page[-1]["id"] if page else None,
                "has_more": len(data) > limit,
            }
        )

    def app(self) -> Starlette:
        p = self.prefix
        return Starlette(
            routes=[
                Route(p, self.create, methods=["POST"]),
                Route(p, self.list, methods=["GET"]),
                Route(p + "/{video_id}", self.retrieve, methods=["GET"]),
                Route(p + "/{video_id}", self.delete, methods=["DELETE"]),
                Route(p + "/{video_id}/content", self.content, methods=["GET"]),
                Route(p + "/{video_id}/remix", self.remix, methods=["POST"]),
            ]
        )
