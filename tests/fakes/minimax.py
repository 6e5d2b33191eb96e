"""A fake of MiniMax's video generation APIs, both generations, on loopback.

MiniMax publishes no official Python SDK (the PyPI package `minimax-h3` that calls itself official
wraps a third party's API), so there is no SDK oracle: this fake follows MiniMax's published API
reference, https://platform.minimax.io/docs/api-reference/ :

- the original API: video-generation-t2v, video-generation-i2v (`POST /v1/video_generation`),
  video-generation-query (`GET /v1/query/video_generation?task_id=`), video-generation-download
  (`GET /v1/files/retrieve?file_id=`, a `download_url` valid for one hour), and errorcode (every
  answer is HTTP 200 with `base_resp.status_code`; 1004 auth, 1002 rate limit, 1008 balance, 1026
  input sensitive, 1027 output sensitive, 2013 invalid params);
- the V2 API: video-generation-v2-create (`POST /v2/video_generation`, `content[]`), -v2-query
  (`GET /v2/query/video_generation/{task_id}`, `{"task": ...}`), the list
  (`GET /v2/query/video_generation`) and -v2-delete (`DELETE /v2/video_generation/{task_id}`:
  cancels a queued task, deletes a finished one, refuses a running or cancelled one), with real HTTP
  statuses and `{"type": "error", "error": {"type", "message", "http_code"}}` bodies.

Shapes not shown in the reference are inferred and marked so below (a V1 `Fail` query, and the
status of a refused V2 delete). Prompts steer failures: `INPUT-SENSITIVE` is refused at create
(1026), `OUTPUT-SENSITIVE` fails the task (1027), `NO-BALANCE` gets 1008.
"""

from __future__ import annotations

import base64
import binascii
import io
import itertools
import time
from typing import Any

from PIL import Image
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.providers.gateway import ProviderFake

from .harness import sample_media

OK = {"status_code": 0, "status_msg": "success"}
LOGIN_FAIL = "login fail: Please carry the API secret key in the 'Authorization' field of the request header"

# model -> resolution -> durations; what the create pages allow
V1_MODELS: dict[str, dict[str, tuple[int, ...]]] = {
    "MiniMax-Hailuo-2.3": {"768P": (6, 10), "1080P": (6,)},
    "MiniMax-Hailuo-2.3-Fast": {"768P": (6, 10), "1080P": (6,)},
    "MiniMax-Hailuo-02": {"512P": (6, 10), "768P": (6, 10), "1080P": (6,)},
}
V1_IMAGE_ONLY = {"MiniMax-Hailuo-2.3-Fast"}
V2_MODELS: dict[str, tuple[tuple[str, ...], range]] = {
    "MiniMax-H3": (("768P", "2K"), range(4, 16)),
    "MiniMax-H3-Max": (("480P", "768P"), range(5, 16)),
}
V2_RATIOS = ("adaptive", "21:9", "16:9", "4:3", "1:1", "3:4", "9:16")
SHORT_SIDE = {"480P": 480, "512P": 512, "768P": 768, "1080P": 1080, "2K": 1440}


def base_resp(code: int, message: str, **fields: Any) -> dict:
    """A V1 answer carrying an error: HTTP 200, the reason in base_resp."""
    return {**fields, "base_resp": {"status_code": code, "status_msg": message}}


def v2_error(status: int, kind: str, message: str) -> JSONResponse:
    body = {
        "type": "error",
        "error": {"type": kind, "message": message, "http_code": str(status)},
        "request_id": f"req-{time.monotonic_ns()}",
    }
    return JSONResponse(body, status)


def image_size(url: str) -> tuple[int, int] | None:
    """A data URL's image size; None when it is not a decodable image (URLs are taken on trust)."""
    if url.startswith(("http://", "https://")):
        return (1280, 720)
    header, sep, payload = url.partition(",")
    if not sep or not header.startswith("data:image/") or not header.endswith(";base64"):
        return None
    try:
        return Image.open(io.BytesIO(base64.b64decode(payload, validate=True))).size
    except (binascii.Error, ValueError, OSError):
        return None


class MiniMaxFake:
    def __init__(self, key: str, polls_to_complete: int = 4, url_lifetime: float = 3600.0) -> None:
        self.key = key
        self.polls_to_complete = polls_to_complete
        self.url_lifetime = url_lifetime
        self.hold_queued = False  # V2 tasks stay queued (to be cancelled)
        self.tasks: dict[str, dict] = {}
        self.files: dict[str, dict] = {}
        self.deleted: list[tuple[str, str]] = []  # (task_id, action)
        self.cdn_requests: list[dict] = []
        self._ids = itertools.count(106916112212032)

    @classmethod
    def provider_fake(cls, key: str = "mm-fake-minimax-key-0123456789") -> ProviderFake:
        fake = cls(key)
        return ProviderFake(provider="minimax", state=fake, app=fake.app(), secrets={"API_KEY": key})

    def _authorized(self, request: Request) -> bool:
        return request.headers.get("authorization") == f"Bearer {self.key}"

    @staticmethod
    async def _json(request: Request) -> dict | None:
        if request.headers.get("content-type", "").split(";")[0] != "application/json":
            return None
        try:
            body = await request.json()
        except ValueError:
            return None
        return body if isinstance(body, dict) else None

    # --- the original API -------------------------------------------------------------------

    def _v1_refusal(self, body: dict) -> dict | None:
        model = body.get("model")
        if model not in V1_MODELS:
            return base_resp(2013, f"invalid params, model {model!r} is not supported", task_id="")
        image = body.get("first_frame_image")
        prompt = body.get("prompt")
        if model in V1_IMAGE_ONLY and not image:
            return base_resp(2013, "invalid params, first_frame_image is required", task_id="")
        if not image and not (isinstance(prompt, str) and prompt):
            return base_resp(2013, "invalid params, prompt is required", task_id="")
        if isinstance(prompt, str) and len(prompt) > 2000:
            return base_resp(2013, "invalid params, prompt exceeds 2000 characters", task_id="")
        resolution = body.get("resolution", "768P")
        durations = V1_MODELS[model].get(resolution)
        if durations is None or (resolution == "512P" and not image):
            return base_resp(2013, f"invalid params, resolution {resolution} is not supported", task_id="")
        if body.get("duration", 6) not in durations:
            return base_resp(2013, f"invalid params, duration not supported at {resolution}", task_id="")
        if image is not None:
            size = image_size(image) if isinstance(image, str) else None
            if size is None:
                return base_resp(2013, "invalid params, first_frame_image is not a valid image", task_id="")
            if min(size) <= 300 or not 0.4 <= size[0] / size[1] <= 2.5:
                return base_resp(2013, "invalid params, first_frame_image size or ratio", task_id="")
        if isinstance(prompt, str) and "NO-BALANCE" in prompt:
            return base_resp(1008, "insufficient balance", task_id="")
        if isinstance(prompt, str) and "INPUT-SENSITIVE" in prompt:
            return base_resp(1026, "input new_sensitive", task_id="")
        return None

    async def v1_create(self, request: Request) -> Response:
        if not self._authorized(request):
            return JSONResponse(base_resp(1004, LOGIN_FAIL, task_id=""))
        body = await self._json(request)
        if body is None:
            return JSONResponse(base_resp(2013, "invalid params, the body must be JSON", task_id=""))
        if (refused := self._v1_refusal(body)) is not None:
            return JSONResponse(refused)
        task_id = str(next(self._ids))
        self.tasks[task_id] = {"api": "v1", "polls": 0, "body": body}
        return JSONResponse({"task_id": task_id, "base_resp": OK})

    async def v1_query(self, request: Request) -> Response:
        if not self._authorized(request):
            return JSONResponse(base_resp(1004, LOGIN_FAIL))
        task_id = request.query_params.get("task_id", "")
        task = self.tasks.get(task_id)
        if task is None or task["api"] != "v1":
            return JSONResponse(base_resp(2013, "invalid params, task not found", task_id=task_id))
        task["polls"] += 1
        polls, body = task["polls"], task["body"]
        out: dict[str, Any] = {"task_id": task_id, "base_resp": OK}
        if polls < self.polls_to_complete:
            out["status"] = ("Preparing", "Queueing", "Processing")[min(polls, 3) - 1]
            return JSONResponse(out)
        if "OUTPUT-SENSITIVE" in (body.get("prompt") or ""):
            # Inferred: the reference lists 1026/1027 for the query without showing a Fail body.
            return JSONResponse(
                base_resp(1027, "output video sensitive", task_id=task_id, status="Fail", file_id="")
            )
        file_id = task.setdefault("file_id", str(next(self._ids)))
        width, height = self._v1_output_size(body)
        self.files[file_id] = {"task_id": task_id}
        out |= {"status": "Success", "file_id": file_id, "video_width": width, "video_height": height}
        return JSONResponse(out)

    @staticmethod
    def _v1_output_size(body: dict) -> tuple[int, int]:
        short = SHORT_SIDE[body.get("resolution", "768P")]
        w, h = image_size(body["first_frame_image"]) if body.get("first_frame_image") else (16, 9)
        return (round(short * w / h), short) if w >= h else (short, round(short * h / w))

    async def v1_retrieve(self, request: Request) -> Response:
        if not self._authorized(request):
            return JSONResponse(base_resp(1004, LOGIN_FAIL))
        file_id = request.query_params.get("file_id", "")
        if file_id not in self.files:
            return JSONResponse(base_resp(2013, "invalid params, file not found"))
        expires = int(time.time() + self.url_lifetime)
        self.files[file_id]["issued"] = time.time()
        url = f"{str(request.base_url).rstrip('/')}/cdn/{file_id}.mp4?Expires={expires}&Signature=fake"
        file = {
            "file_id": int(file_id),  # an int64 here, a string in the query answer
            "bytes": len(sample_media()["video"]),
            "created_at": int(time.time()),
            "filename": "output_aigc.mp4",
            "purpose": "video_generation",
            "download_url": url,
        }
        return JSONResponse({"file": file, "base_resp": OK})

    # --- the V2 API -------------------------------------------------------------------------

    def _v2_refusal(self, body: dict) -> Response | None:
        def bad(message: str) -> Response:
            return v2_error(400, "bad_request_error", f"invalid params, {message} (2013)")

        model = body.get("model")
        if model not in V2_MODELS:
            return bad(f"model {model!r} is not supported")
        resolutions, durations = V2_MODELS[model]
        content = body.get("content")
        if not isinstance(content, list) or not content:
            return bad("content is required")
        texts = [c for c in content if isinstance(c, dict) and c.get("type") == "text"]
        if len(texts) != 1 or not isinstance(texts[0].get("text"), str) or not texts[0]["text"].strip():
            return bad("content must hold exactly one non-empty text item")
        if len(texts[0]["text"]) > 7000:
            return bad("text exceeds 7000 characters")
        media = [c for c in content if c not in texts]
        for item in media:
            if item.get("type") != "image_url" or not isinstance(
                (item.get("image_url") or {}).get("url"), str
            ):
                return bad("unsupported content item")
            if item.get("role", "first_frame") not in ("first_frame", "last_frame", "reference_image"):
                return bad("invalid image role")
            size = image_size(item["image_url"]["url"])
            if size is None or min(size) < 256 or not 0.4 <= size[0] / size[1] <= 2.5:
                return bad("image must be at least 256x256 with a ratio from 0.4 to 2.5")
        roles = {item.get("role", "first_frame") for item in media}
        if roles & {"first_frame", "last_frame"} and "reference_image" in roles:
            return bad("frame inputs and reference inputs cannot be mixed")
        if body.get("resolution") not in resolutions:
            return bad(f"resolution must be one of {', '.join(resolutions)}")
        duration = body.get("duration")
        if not isinstance(duration, int) or duration not in durations:
            return bad(f"duration must be an integer from {durations.start} to {durations.stop - 1}")
        ratio = body.get("ratio", "adaptive")
        if ratio not in V2_RATIOS:
            return bad("invalid ratio")
        if not media and ratio == "adaptive":
            return bad("text-to-video requires a concrete ratio")
        if "NO-BALANCE" in texts[0]["text"]:
            return v2_error(402, "insufficient_balance_error", "insufficient balance (1008)")
        if "INPUT-SENSITIVE" in texts[0]["text"]:
            return v2_error(422, "unprocessable_entity_error", "input new_sensitive (1026)")
        return None

    async def v2_create(self, request: Request) -> Response:
        if not self._authorized(request):
            return v2_error(401, "authorized_error", f"{LOGIN_FAIL} (1004)")
        body = await self._json(request)
        if body is None:
            return v2_error(400, "bad_request_error", "invalid params, the body must be JSON (2013)")
        if (refused := self._v2_refusal(body)) is not None:
            return refused
        task_id = str(next(self._ids))
        self.tasks[task_id] = {
            "api": "v2",
            "polls": 0,
            "body": body,
            "status": "queued",
            "created_at": int(time.time()),
        }
        return JSONResponse({"task_id": task_id})

    def _v2_task(self, request: Request, task_id: str) -> dict:
        task = self.tasks[task_id]
        body = task["body"]
        out: dict[str, Any] = {
            "id": task_id,
            "model": body["model"],
            "status": task["status"],
            "created_at": task["created_at"],
            "updated_at": int(time.time()),
        }
        if task["status"] == "succeeded":
            images = sum(1 for c in body["content"] if c.get("type") == "image_url")
            out |= {
                "content": {"url": f"{str(request.base_url).rstrip('/')}/cdn/v2/{task_id}.mp4"},
                "resolution": body["resolution"],
                "duration": body["duration"],
                "usage": {
                    "total_seconds": body["duration"],
                    "input_seconds": 0,
                    "output_seconds": body["duration"],
                    "input_image_count": images,
                },
                "ratio": body.get("ratio", "adaptive"),
                "task_type": "generation",
                "modality": "video",
            }
        elif task["status"] == "failed":
            out["error"] = {"code": "1027", "message": "output video sensitive"}  # a string in V2
        return out

    def _v2_advance(self, task: dict) -> None:
        if task["status"] not in ("queued", "running"):
            return
        task["polls"] += 1
        if self.hold_queued:
            return
        if task["polls"] >= self.polls_to_complete:
            failed = "OUTPUT-SENSITIVE" in task["body"]["content"][0].get("text", "")
            task["status"] = "failed" if failed else "succeeded"
        elif task["polls"] >= 2:
            task["status"] = "running"

    async def v2_query(self, request: Request) -> Response:
        if not self._authorized(request):
            return v2_error(401, "authorized_error", f"{LOGIN_FAIL} (1004)")
        task_id = request.path_params["task_id"]
        task = self.tasks.get(task_id)
        if task is None or task["api"] != "v2":
            return v2_error(404, "not_found_error", f"task {task_id} not found (2013)")
        self._v2_advance(task)
        return JSONResponse({"task": self._v2_task(request, task_id)})

    async def v2_list(self, request: Request) -> Response:
        if not self._authorized(request):
            return v2_error(401, "authorized_error", f"{LOGIN_FAIL} (1004)")
        query = request.query_params
        ids = [i for i, t in self.tasks.items() if t["api"] == "v2"]
        items = [self._v2_task(request, i) for i in reversed(ids)]  # newest first
        if query.get("filter.status"):
            items = [t for t in items if t["status"] == query["filter.status"]]
        if query.get("filter.model"):
            items = [t for t in items if t["model"] == query["filter.model"]]
        page, size = int(query.get("page_num", 1)), int(query.get("page_size", 20))
        return JSONResponse({"items": items[(page - 1) * size : page * size], "total": len(items)})

    async def v2_delete(self, request: Request) -> Response:
        if not self._authorized(request):
            return v2_error(401, "authorized_error", f"{LOGIN_FAIL} (1004)")
        task_id = request.path_params["task_id"]
        task = self.tasks.get(task_id)
        if task is None or task["api"] != "v2":
            return v2_error(404, "not_found_error", f"task {task_id} not found (2013)")
        if task["status"] == "queued":
            task["status"] = "cancelled"
            self.deleted.append((task_id, "cancel"))
            return JSONResponse({"task_id": task_id, "action": "cancel", "status": "cancelled"})
        if task["status"] in ("succeeded", "failed"):
            del self.tasks[task_id]
            self.deleted.append((task_id, "delete"))
            return JSONResponse({"task_id": task_id, "action": "delete", "status": "deleted"})
        # Inferred status: the reference says a running or cancelled task cannot be deleted.
        self.deleted.append((task_id, "refused"))
        return v2_error(400, "bad_request_error", f"task is {task['status']} and cannot be deleted (2013)")

    # --- storage ----------------------------------------------------------------------------

    async def cdn(self, request: Request) -> Response:
        self.cdn_requests.append(
            {"path": request.url.path, "headers": dict(request.headers), "at": time.time()}
        )
        expires = request.query_params.get("Expires")
        if expires is not None and time.time() > int(expires):
            return Response(
                b"<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>", 403
            )
        return Response(sample_media()["video"], media_type="video/mp4")

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v1/video_generation", self.v1_create, methods=["POST"]),
                Route("/v1/query/video_generation", self.v1_query, methods=["GET"]),
                Route("/v1/files/retrieve", self.v1_retrieve, methods=["GET"]),
                Route("/v2/video_generation", self.v2_create, methods=["POST"]),
                Route("/v2/video_generation/{task_id}", self.v2_delete, methods=["DELETE"]),
                Route("/v2/query/video_generation", self.v2_list, methods=["GET"]),
                Route("/v2/query/video_generation/{task_id}", self.v2_query, methods=["GET"]),
                Route("/cdn/{path:path}", self.cdn, methods=["GET"]),
            ]
        )


provider_fake = MiniMaxFake.provider_fake
