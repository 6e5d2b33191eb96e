"""A fake of DashScope's (Alibaba Cloud Model Studio) Wan video synthesis API.

Follows the official references (https://www.alibabacloud.com/help/en/model-studio/text-to-video-api-reference
for wan2.7, .../legacy-wan-text-to-video-api-reference for wan2.1-2.6, .../manage-asynchronous-tasks
for polling and cancelling) and what the `dashscope` SDK sends and parses: paths under `/api/v1`,
`Authorization: Bearer`, `X-DashScope-Async: enable` on create (the HTTP API is async only),
`{request_id, code, message}` error bodies, a failed task as HTTP 200 with `output.code/message`, an
unknown task id as HTTP 200 `task_status: UNKNOWN`, cancel for PENDING tasks only. Both `/tasks/{id}`
and `/tasks/{id}/` answer (the SDK's aio client adds the slash); unknown `input` fields (the SDK's
`extend_prompt` and `function`) are ignored.

Unset parameters take DashScope's defaults (size 1920*1080, resolution 1080P, ratio 16:9, 5 s).
Stricter than documented (guesses, so a wrong request shape fails here rather than in production):
image-to-video and wan2.7 models are refused `size` (they take `resolution`, and wan2.7
text-to-video `ratio`); a legacy model is refused `media` and wan2.7-i2v is refused `img_url`.
The bodies for a missing Async header (403 AccessDenied) and for cancelling a task that is not
PENDING (400 UnsupportedOperation) are guesses too.

Prompts steer the outcome: `FAIL` fails the task (DataInspectionFailed), `EXPIRE` makes it UNKNOWN,
`BADPARAM` is refused at create (400 InvalidParameter).
"""

from __future__ import annotations

import itertools
import json
import uuid

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.providers.gateway import ProviderFake

from .harness import sample_media

LEGACY_SIZES = {
    "832*480",
    "480*832",
    "624*624",
    "1280*720",
    "720*1280",
    "960*960",
    "1088*832",
    "832*1088",
    "1920*1080",
    "1080*1920",
    "1440*1440",
    "1632*1248",
    "1248*1632",
}
# model -> (durations, resolution tiers); which request shape it takes follows from its name
MODELS: dict[str, tuple[range | tuple[int, ...], tuple[str, ...]]] = {
    "wan2.7-t2v": (range(2, 16), ("720P", "1080P")),
    "wan2.7-i2v": (range(2, 16), ("720P", "1080P")),
    "wan2.6-t2v": (range(2, 16), ("720P", "1080P")),
    "wan2.6-i2v": (range(2, 16), ("720P", "1080P")),
    "wan2.6-i2v-flash": (range(2, 16), ("720P", "1080P")),
    "wan2.5-t2v-preview": ((5, 10), ("480P", "720P", "1080P")),
    "wan2.5-i2v-preview": ((5, 10), ("480P", "720P", "1080P")),
    "wan2.2-t2v-plus": ((5,), ("480P", "1080P")),
    "wan2.2-i2v-plus": ((5,), ("480P", "1080P")),
}
RATIOS = ("16:9", "9:16", "1:1", "4:3", "3:4")
TIER_SR = {"480P": 480, "720P": 720, "1080P": 1080}
DEFAULT_SIZE, DEFAULT_RESOLUTION = "1920*1080", "1080P"


class DashScopeFake:
    def __init__(self, key: str, pending_polls: int = 1, running_polls: int = 1) -> None:
        self.key = key
        self.pending_polls = pending_polls
        self.running_polls = running_polls
        self.tasks: dict[str, dict] = {}
        self.cancelled: list[str] = []
        self.output_requests: list[dict] = []
        self._ids = itertools.count(1)

    # --- answers --------------------------------------------------------------------------

    def _request_id(self) -> str:
        return f"req-{next(self._ids):04d}-{uuid.uuid4().hex[:8]}"

    def error(self, status: int, code: str, message: str) -> Response:
        return JSONResponse({"request_id": self._request_id(), "code": code, "message": message}, status)

    def _auth(self, request: Request) -> Response | None:
        if request.headers.get("authorization") != f"Bearer {self.key}":
            return self.error(401, "InvalidApiKey", "Invalid API-key provided.")
        return None

    # --- create -----------------------------------------------------------------------------

    def check_body(self, body: object) -> str | None:
        """What DashScope would refuse about this create body (None: nothing)."""
        if not isinstance(body, dict) or not isinstance(body.get("input"), dict):
            return "input is required"
        model = body.get("model")
        if model not in MODELS:
            return "Model not exist."
        inputs, parameters = body["input"], body.get("parameters") or {}
        if not isinstance(parameters, dict):
            return "parameters must be an object"
        durations, tiers = MODELS[model]
        new, i2v = model.startswith("wan2.7"), "-i2v" in model
        if not isinstance(inputs.get("prompt"), str) or not inputs["prompt"]:
            return "Field required: input.prompt"
        duration = parameters.get("duration", 5)
        if not isinstance(duration, int) or duration not in durations:
            return f"The duration is not match the allowed duration {list(durations)}"
        seed = parameters.get("seed")
        if seed is not None and (not isinstance(seed, int) or not 0 <= seed <= 2147483647):
            return "Range of seed must be [0, 2147483647]"
        if "audio" in parameters and (
            model != "wan2.6-i2v-flash" or not isinstance(parameters["audio"], bool)
        ):
            return f"audio is not supported by {model}"
        if i2v and new:
            media = inputs.get("media")
            if "img_url" in inputs or not isinstance(media, list):
                return f"{model} takes its images as input.media"
            if [m.get("type") for m in media if isinstance(m, dict)] != ["first_frame"] or not media[0].get(
                "url"
            ):
                return "input.media must hold one first_frame with a url"
        elif i2v:
            if "media" in inputs or not isinstance(inputs.get("img_url"), str) or not inputs["img_url"]:
                return "Field required: input.img_url"
        elif "img_url" in inputs or "media" in inputs:
            return f"{model} takes no image"
        if i2v or new:
            if "size" in parameters:
                return f"{model} takes resolution, not size"
            if parameters.get("resolution", DEFAULT_RESOLUTION) not in tiers:
                return f"The resolution is not match the allowed resolution {list(tiers)}"
            if new and not i2v and parameters.get("ratio", "16:9") not in RATIOS:
                return f"The ratio is not match the allowed ratio {list(RATIOS)}"
        else:
            size = parameters.get("size", DEFAULT_SIZE)
            if size not in LEGACY_SIZES or self.tier(size) not in tiers:
                return f"The size is not match the allowed size of {model}"
        return None

    @staticmethod
    def tier(size: str) -> str:
        short = min(int(side) for side in size.split("*"))
        return "480P" if short < 700 else "720P" if short < 1000 else "1080P"

    async def create(self, request: Request) -> Response:
        if (refused := self._auth(request)) is not None:
            return refused
        if request.headers.get("x-dashscope-async") != "enable":
            return self.error(403, "AccessDenied", "current user api does not support synchronous calls")
        try:
            body = await request.json()
        except json.JSONDecodeError:
            return self.error(400, "InvalidParameter", "The request body is not valid JSON")
        if (problem := self.check_body(body)) is not None:
            return self.error(400, "InvalidParameter", problem)
        prompt = body["input"]["prompt"]
        if "BADPARAM" in prompt:
            return self.error(400, "InvalidParameter", "The prompt is not valid for this model")
        task_id = str(uuid.uuid4())
        self.tasks[task_id] = {
            "polls": 0,
            "status": "PENDING",
            "body": body,
            "headers": dict(request.headers),
        }
        return JSONResponse(
            {"request_id": self._request_id(), "output": {"task_id": task_id, "task_status": "PENDING"}}
        )

    # --- tasks ------------------------------------------------------------------------------

    def usage(self, body: dict) -> dict:
        parameters = body.get("parameters") or {}
        model = body["model"]
        if "-i2v" in model or model.startswith("wan2.7"):
            tier = parameters.get("resolution", DEFAULT_RESOLUTION)
        else:
            tier = self.tier(parameters.get("size", DEFAULT_SIZE))
        usage = {"duration": parameters.get("duration", 5), "video_count": 1, "SR": TIER_SR[tier]}
        if not ("-i2v" in model or model.startswith("wan2.7")):
            usage["size"] = parameters.get("size", DEFAULT_SIZE)
        else:
            usage["ratio"] = parameters.get("ratio", "16:9")
        return usage | {"output_video_duration": usage["duration"]}

    async def task(self, request: Request) -> Response:
        if (refused := self._auth(request)) is not None:
            return refused
        task_id = request.path_params["task_id"]
        task = self.tasks.get(task_id)
        if task is None or "EXPIRE" in task["body"]["input"]["prompt"]:
            return JSONResponse(
                {"request_id": self._request_id(), "output": {"task_id": task_id, "task_status": "UNKNOWN"}}
            )
        out = {
            "task_id": task_id,
            "submit_time": "2026-11-29 10:00:00.000",
            "scheduled_time": "2026-11-29 10:00:01.000",
        }
        if task["status"] == "CANCELED":
            return JSONResponse(
                {"request_id": self._request_id(), "output": out | {"task_status": "CANCELED"}}
            )
        task["polls"] += 1
        if task["polls"] <= self.pending_polls:
            task["status"] = "PENDING"
        elif task["polls"] <= self.pending_polls + self.running_polls:
            task["status"] = "RUNNING"
        elif "FAIL" in task["body"]["input"]["prompt"]:
            task["status"] = "FAILED"
            out |= {
                "end_time": "2026-11-29 10:00:09.000",
                "code": "DataInspectionFailed",
                "message": "Output data may contain inappropriate content.",
            }
        else:
            task["status"] = "SUCCEEDED"
            prompt = task["body"]["input"]["prompt"]
            out |= {
                "end_time": "2026-11-29 10:01:30.000",
                "video_url": f"{str(request.base_url).rstrip('/')}/cdn/{task_id}.mp4?Expires=1&Signature=x",
                "orig_prompt": prompt,
                "actual_prompt": prompt + " (extended)",
            }
            return JSONResponse(
                {
                    "request_id": self._request_id(),
                    "output": out | {"task_status": "SUCCEEDED"},
                    "usage": self.usage(task["body"]),
                }
            )
        return JSONResponse(
            {"request_id": self._request_id(), "output": out | {"task_status": task["status"]}}
        )

    async def cancel(self, request: Request) -> Response:
        if (refused := self._auth(request)) is not None:
            return refused
        task_id = request.path_params["task_id"]
        task = self.tasks.get(task_id)
        if task is None or task["status"] != "PENDING":
            return self.error(
                400,
                "UnsupportedOperation",
                "Failed to cancel the task, please confirm if the task is in PENDING status.",
            )
        task["status"] = "CANCELED"
        self.cancelled.append(task_id)
        return JSONResponse({"request_id": self._request_id()})

    async def cdn(self, request: Request) -> Response:
        self.output_requests.append(dict(request.headers))
        if "authorization" in request.headers:  # an OSS presigned URL refuses a second credential
            return Response(b"<Error><Code>InvalidArgument</Code></Error>", 400, media_type="application/xml")
        return Response(sample_media()["video"], media_type="video/mp4")

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route(
                    "/api/v1/services/aigc/video-generation/video-synthesis", self.create, methods=["POST"]
                ),
                Route("/api/v1/tasks/{task_id}", self.task, methods=["GET"]),
                Route("/api/v1/tasks/{task_id}/", self.task, methods=["GET"]),
                Route("/api/v1/tasks/{task_id}/cancel", self.cancel, methods=["POST"]),
                Route("/cdn/{name}", self.cdn, methods=["GET"]),
            ]
        )


KEY = "sk-fake-dashscope-0123456789"


def provider_fake(fake: DashScopeFake | None = None) -> ProviderFake:
    fake = fake or DashScopeFake(KEY)
    return ProviderFake(
        provider="dashscope",
        state=fake,
        app=fake.app(),
        secrets={"API_KEY": fake.key},
        settings=lambda url: {"BASE_URL": f"{url}/api/v1"},
    )
