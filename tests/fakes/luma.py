"""A fake of Luma AI's Dream Machine API (https://api.lumalabs.ai/dream-machine/v1): video
generations created, polled through `queued -> dreaming -> completed|failed`, listed, deleted.

It follows Luma's published OpenAPI document (github.com/lumalabs/lumaai-api, openapi.yaml) and the
official `lumaai` SDK generated from it: Bearer auth, `{"detail": ...}` errors, a `Generation`
object for every create and get (201 on create), `GenerationListResponse` for the list, 204 with no
body on delete. Every JSON body it serves is kept in `served`, and the SDK oracle test validates
them all with the SDK's own response types, so this fake cannot drift from the real API unseen.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.providers.gateway import ProviderFake

from .harness import sample_media

PREFIX = "/dream-machine/v1"
KEY = "luma-fake-0123456789abcdef"
MODELS = ("ray-2", "ray-flash-2")  # what the API's model enum takes (ray-1-6 no longer)
RATIOS = ("1:1", "16:9", "9:16", "4:3", "3:4", "21:9", "9:21")
RESOLUTIONS = ("540p", "720p", "1080p", "4k")
DURATIONS = ("5s", "9s")
MODERATION = "400: prompt not allowed because advanced moderation failed"


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


class LumaFake:
    def __init__(self, key: str = KEY, polls_to_complete: int = 3) -> None:
        self.key = key
        self.polls_to_complete = polls_to_complete
        self.generations: dict[str, dict[str, Any]] = {}  # id -> {"body", "polls", "created_at", "path"}
        self.order: list[str] = []  # creation order, oldest first
        self.deleted: list[str] = []
        self.cdn_requests: list[dict[str, str]] = []
        self.served: list[tuple[str, Any]] = []  # (kind, JSON body) of every answer
        self.created = 0  # create calls Luma acted on

    # -- helpers --------------------------------------------------------------------------------

    def _answer(self, kind: str, body: Any, status: int = 200) -> JSONResponse:
        self.served.append((kind, body))
        return JSONResponse(body, status)

    def _error(self, status: int, detail: Any) -> JSONResponse:
        return self._answer("error", {"detail": detail}, status)

    def _refuse_auth(self, request: Request) -> Response | None:
        if request.headers.get("authorization") != f"Bearer {self.key}":
            return self._error(401, "Invalid API key is provided")
        return None

    def generation(self, request: Request, gen_id: str) -> dict[str, Any]:
        """The Generation object as Luma serves it, in the state this many polls have reached."""
        record = self.generations[gen_id]
        body, polls = record["body"], record["polls"]
        state, failure, assets = "queued", None, None
        if polls >= 1:
            state = "dreaming"
        if polls >= 1 and "FAIL" in str(body.get("prompt", "")):
            state, failure = "failed", MODERATION
        elif polls >= self.polls_to_complete:
            state = "completed"
            cdn = f"{str(request.base_url).rstrip('/')}/cdn/dream_machine/{gen_id}"
            assets = {"video": f"{cdn}/video.mp4", "image": f"{cdn}/thumb.jpg", "progress_video": None}
        return {
            "id": gen_id,
            "generation_type": "video",
            "state": state,
            "failure_reason": failure,
            "created_at": record["created_at"],
            "assets": assets,
            "model": body["model"],
            "request": body,
        }

    def _check_body(self, body: Any) -> str | None:
        """What Luma refuses in a create body, as its message (None: acceptable)."""
        if not isinstance(body, dict):
            return "Request body must be a JSON object"
        if body.get("model") not in MODELS:
            return f"Invalid model {body.get('model')!r}: must be one of {', '.join(MODELS)}"
        checks = (("aspect_ratio", RATIOS), ("resolution", RESOLUTIONS), ("duration", DURATIONS))
        for field, allowed in checks:
            if field in body and body[field] not in allowed:
                return f"Invalid {field} {body[field]!r}: must be one of {', '.join(allowed)}"
        if "prompt" in body and not isinstance(body["prompt"], str):
            return "prompt must be a string"
        keyframes = body.get("keyframes") or {}
        if not body.get("prompt") and not keyframes:
            return "prompt is required for text-to-video"
        if not isinstance(keyframes, dict) or set(keyframes) - {"frame0", "frame1"}:
            return "keyframes takes frame0 and frame1"
        for name, frame in keyframes.items():
            if not isinstance(frame, dict) or frame.get("type") not in ("image", "generation"):
                return f"keyframes.{name}.type must be image or generation"
            if frame["type"] == "image":
                url = frame.get("url")
                if not isinstance(url, str) or not url.startswith(("http://", "https://")):
                    return f"keyframes.{name}.url must be an http(s) URL of an image"
            elif frame.get("id") not in self.generations:
                return f"keyframes.{name}.id is not a generation of this account"
        return None

    # -- routes ---------------------------------------------------------------------------------

    async def create(self, request: Request) -> Response:
        if (refused := self._refuse_auth(request)) is not None:
            return refused
        if not request.headers.get("content-type", "").startswith("application/json"):
            return self._error(415, "Content-Type must be application/json")
        try:
            body = await request.json()
        except ValueError:
            return self._error(422, [{"loc": ["body"], "msg": "invalid JSON", "type": "json_invalid"}])
        if (problem := self._check_body(body)) is not None:
            return self._error(400, problem)
        gen_id = str(uuid.uuid4())
        self.created += 1
        self.generations[gen_id] = {
            "body": body,
            "polls": 0,
            "created_at": now_iso(),
            "path": request.url.path,
        }
        self.order.append(gen_id)
        return self._answer("generation", self.generation(request, gen_id), 201)

    async def one(self, request: Request) -> Response:
        if (refused := self._refuse_auth(request)) is not None:
            return refused
        gen_id = request.path_params["gen_id"]
        if gen_id not in self.generations:
            return self._error(404, "Generation not found")
        if request.method == "DELETE":
            del self.generations[gen_id]
            self.order.remove(gen_id)
            self.deleted.append(gen_id)
            return Response(status_code=204)
        self.generations[gen_id]["polls"] += 1
        return self._answer("generation", self.generation(request, gen_id))

    async def listing(self, request: Request) -> Response:
        if (refused := self._refuse_auth(request)) is not None:
            return refused
        try:
            limit = int(request.query_params.get("limit", "100"))
            offset = int(request.query_params.get("offset", "0"))
        except ValueError:
            return self._error(400, "limit and offset must be integers")
        newest_first = list(reversed(self.order))
        page = newest_first[offset : offset + limit]
        return self._answer(
            "list",
            {
                "generations": [self.generation(request, g) for g in page],
                "count": len(page),
                "has_more": offset + limit < len(newest_first),
                "limit": limit,
                "offset": offset,
            },
        )

    async def cdn(self, request: Request) -> Response:
        """Luma's storage: public URLs, no credentials needed (and none should be sent)."""
        self.cdn_requests.append(dict(request.headers))
        return Response(sample_media()["video"], media_type="video/mp4")

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route(f"{PREFIX}/generations/video", self.create, methods=["POST"]),
                Route(f"{PREFIX}/generations", self.create, methods=["POST"]),  # the older docs' path
                Route(f"{PREFIX}/generations", self.listing, methods=["GET"]),
                Route(f"{PREFIX}/generations/{{gen_id}}", self.one, methods=["GET", "DELETE"]),
                Route("/cdn/dream_machine/{gen_id}/{name}", self.cdn, methods=["GET"]),
            ]
        )

    # -- test conveniences ----------------------------------------------------------------------

    def latest(self) -> dict[str, Any]:
        return self.generations[self.order[-1]]


def provider_fake(polls_to_complete: int = 3) -> ProviderFake:
    fake = LumaFake(polls_to_complete=polls_to_complete)
    return ProviderFake(
        provider="luma",
        state=fake,
        app=fake.app(),
        secrets={"API_KEY": fake.key},
        settings=lambda url: {"BASE_URL": url + PREFIX},
    )
