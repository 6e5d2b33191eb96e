"""A fake of BytePlus ModelArk's video generation tasks (Seedance), served under /api/v3.

It follows ModelArk's published API reference: Create a video generation task
(https://docs.byteplus.com/en/docs/ModelArk/1520757), Retrieve a video generation task, Cancel or
delete a video generation task, and the error codes (https://docs.byteplus.com/en/docs/ModelArk/1299023),
plus the official SDK (`byteplus-python-sdk-v2`, module `byteplussdkarkruntime`), whose response types
parse every body served here (tests/sdk_oracles/test_ark_oracle.py).

What it checks, as Ark does: `Authorization: Bearer <API key>`; `model` and `content` present; the
content items' shapes and image roles; images (URL or lower-case `data:image/<fmt>;base64,`) with
each side in [300, 6000] px and a width/height ratio in [0.4, 2.5]; per model, the resolutions,
ratios and durations it takes and whether it takes `generate_audio`; `seed` in [-1, 2^32-1]; no
body keys the API does not have (the SDK sends every one of them, as null when unset).

How tasks move: `queued` for `queued_polls` polls, `running` until `polls_to_complete`, then
`succeeded` with `content.video_url`, a presigned object URL that refuses requests carrying an
Authorization header. A prompt with FAIL ends `failed` with `error{code, message}` in a 200; EXPIRE
ends `expired`; UNSAFE is refused at create with Ark's 400 `InputTextSensitiveContentDetected`.
DELETE cancels a queued task (it stays, `cancelled`), deletes a finished one, and refuses a
running or cancelled one.

Not documented by Ark, so invented here: task ids beyond their `cgt-` prefix, the 404 of an unknown
task (`ResourceNotFound`), and the status and code of a refused DELETE (400 `InvalidAction.TaskStatus`).
"""

from __future__ import annotations

import base64
import binascii
import io
import itertools
import re
from dataclasses import dataclass
from typing import Any

from PIL import Image
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.providers.gateway import ProviderFake

from .harness import sample_media

API_KEY = "ark-fake-key-0123456789abcdef"
REQUEST_ID = "021764460800000deadbeef0000000000000000000000"
NOW = 1764460800
RATIOS = ("16:9", "4:3", "1:1", "3:4", "9:16", "21:9", "adaptive")
# Every body key the API has (what the SDK sends); Volcengine's adds `tools`.
BODY_KEYS = {
    "model",
    "content",
    "safety_identifier",
    "callback_url",
    "return_last_frame",
    "service_tier",
    "execution_expires_after",
    "priority",
    "generate_audio",
    "draft",
    "camera_fixed",
    "watermark",
    "seed",
    "resolution",
    "ratio",
    "duration",
    "frames",
    "output_format",
    "omni_reference_task_type",
    "tools",
}
AREA = {"480p": 864 * 496, "720p": 1280 * 720, "1080p": 1920 * 1080, "4k": 3840 * 2160}


@dataclass(frozen=True)
class Model:
    resolutions: tuple[str, ...]
    seconds: tuple[int, int]
    audio: bool  # takes generate_audio (and duration -1: the model picks)
    roles: tuple[str, ...]  # image roles it takes


MODELS = {
    "seedance-1-0-pro-250528": Model(
        ("480p", "720p", "1080p"), (2, 12), False, ("first_frame", "last_frame")
    ),
    "seedance-1-0-pro-fast-251015": Model(("480p", "720p", "1080p"), (2, 12), False, ("first_frame",)),
    "seedance-1-5-pro-251215": Model(("480p", "720p", "1080p"), (4, 12), True, ("first_frame", "last_frame")),
    "dreamina-seedance-2-0-260128": Model(
        ("480p", "720p", "1080p", "4k"), (4, 15), True, ("first_frame", "last_frame", "reference_image")
    ),
    "dreamina-seedance-2-0-fast-260128": Model(
        ("480p", "720p"), (4, 15), True, ("first_frame", "last_frame", "reference_image")
    ),
    "dreamina-seedance-2-0-mini-260615": Model(
        ("480p", "720p"), (4, 15), True, ("first_frame", "last_frame", "reference_image")
    ),
}
DATA_URL = re.compile(r"^data:image/(jpeg|png|webp|bmp|tiff|gif|heic|heif);base64,(.+)$", re.S)


def error(status: int, code: str, message: str, type_: str, param: str | None = None) -> JSONResponse:
    body: dict[str, Any] = {"code": code, "message": f"{message} Request id: {REQUEST_ID}", "type": type_}
    if param is not None:
        body["param"] = param
    return JSONResponse({"error": body}, status, headers={"X-Request-Id": REQUEST_ID})


def invalid(param: str, why: str = "") -> JSONResponse:
    detail = f": {why}" if why else ""
    return error(
        400,
        "InvalidParameter",
        f"The parameter `{param}` specified in the request is not valid{detail}.",
        "BadRequest",
        param,
    )


def image_problem(url: Any) -> str | None:
    """Why Ark would refuse this image, or None."""
    if not isinstance(url, str) or not url:
        return "content.image_url.url must be a URL or a base64 data URL"
    if url.startswith(("http://", "https://")):
        return None  # Ark downloads it; the fake takes its word for it
    match = DATA_URL.match(url)
    if match is None:
        return "data URLs must be data:image/<lower-case format>;base64,<data>"
    try:
        data = base64.b64decode(match.group(2), validate=True)
        width, height = Image.open(io.BytesIO(data)).size
    except (binascii.Error, ValueError, OSError):
        return "the image cannot be decoded"
    if not (300 <= width <= 6000 and 300 <= height <= 6000):
        return f"image sides must be 300 to 6000 px, got {width}x{height}"
    if not 0.4 <= width / height <= 2.5:
        return f"the image's width/height must be 0.4 to 2.5, got {width / height:.2f}"
    return None


class ArkFake:
    def __init__(self, key: str = API_KEY, queued_polls: int = 1, polls_to_complete: int = 3) -> None:
        self.key = key
        self.queued_polls = queued_polls
        self.polls_to_complete = polls_to_complete
        self.tasks: dict[str, dict[str, Any]] = {}
        self.deleted: list[str] = []
        self.cancelled: list[str] = []
        self.downloads: list[dict[str, str]] = []  # headers of each request for a video file
        self._ids = itertools.count(1)

    @classmethod
    def provider_fake(cls, **kwargs: Any) -> ProviderFake:
        fake = cls(**kwargs)
        return ProviderFake(
            provider="ark",
            state=fake,
            app=fake.app(),
            secrets={"API_KEY": fake.key},
            settings=lambda url: {"BASE_URL": f"{url}/api/v3"},
        )

    def last(self) -> dict[str, Any]:
        """The body of the newest task."""
        return self.tasks[max(self.tasks)]["body"]

    def _refuse_auth(self, request: Request) -> Response | None:
        if request.headers.get("authorization") != f"Bearer {self.key}":
            return error(
                401,
                "AuthenticationError",
                "The API key or AK/SK in the request is missing or invalid.",
                "Unauthorized",
            )
        return None

    # --- create -------------------------------------------------------------------------------

    async def create(self, request: Request) -> Response:
        if (refused := self._refuse_auth(request)) is not None:
            return refused
        try:
            body = await request.json()
        except ValueError:
            return invalid("body", "the request body is not JSON")
        if not isinstance(body, dict):
            return invalid("body")
        if (problem := self._check(body)) is not None:
            return problem
        task_id = f"cgt-20261129000000-{next(self._ids):05d}"
        self.tasks[task_id] = {"body": body, "polls": 0, "status": "queued"}
        return JSONResponse({"id": task_id})

    def _check(self, body: dict[str, Any]) -> Response | None:
        unknown = sorted(set(body) - BODY_KEYS)
        if unknown:
            return invalid(unknown[0], "unknown parameter")
        if not body.get("model"):
            return error(
                400,
                "MissingParameter",
                "The request failed because it is missing `model`.",
                "BadRequest",
                "model",
            )
        model = MODELS.get(body["model"])
        if model is None:
            return error(
                404,
                "InvalidEndpointOrModel.NotFound",
                f"The model or endpoint {body['model']} does not exist or you do not have access to it.",
                "NotFound",
            )
        content = body.get("content")
        if not isinstance(content, list) or not content:
            return error(
                400,
                "MissingParameter",
                "The request failed because it is missing `content`.",
                "BadRequest",
                "content",
            )
        roles = []
        for item in content:
            kind = item.get("type") if isinstance(item, dict) else None
            if kind == "text":
                if not isinstance(item.get("text"), str) or set(item) != {"type", "text"}:
                    return invalid("content.text")
                if "UNSAFE" in item["text"]:
                    return error(
                        400,
                        "InputTextSensitiveContentDetected",
                        "The request failed because the input text may contain sensitive information.",
                        "BadRequest",
                    )
            elif kind == "image_url":
                if set(item) - {"type", "image_url", "role"} or not isinstance(item.get("image_url"), dict):
                    return invalid("content.image_url")
                if (why := image_problem(item["image_url"].get("url"))) is not None:
                    return invalid("content.image_url", why)
                role = item.get("role") or "first_frame"
                if role not in model.roles:
                    return invalid(
                        "content.role", f"{body['model']} takes the image roles {', '.join(model.roles)}"
                    )
                roles.append(role)
            else:
                return invalid("content.type")
        if "reference_image" in roles and set(roles) != {"reference_image"}:
            return invalid("content.role", "reference images cannot be mixed with first or last frames")
        if roles.count("first_frame") > 1 or roles.count("last_frame") > 1 or roles == ["last_frame"]:
            return invalid("content.role")
        for name, allowed in (("resolution", model.resolutions), ("ratio", RATIOS)):
            if body.get(name) is not None and body[name] not in allowed:
                return invalid(name, f"{body['model']} takes {', '.join(allowed)}")
        duration = body.get("duration")
        low, high = model.seconds
        picks = duration == -1 and model.audio
        if duration is not None and (
            not isinstance(duration, int)
            or isinstance(duration, bool)
            or not (low <= duration <= high or picks)
        ):
            return invalid("duration", f"{body['model']} takes {low} to {high} seconds")
        seed = body.get("seed")
        if seed is not None and (
            not isinstance(seed, int) or isinstance(seed, bool) or not -1 <= seed <= 2**32 - 1
        ):
            return invalid("seed")
        for flag in ("watermark", "generate_audio", "camera_fixed", "return_last_frame", "draft"):
            if body.get(flag) is not None and not isinstance(body[flag], bool):
                return invalid(flag)
        if body.get("generate_audio") is not None and not model.audio:
            return invalid("generate_audio", f"{body['model']} makes no sound")
        return None

    # --- retrieve and delete ------------------------------------------------------------------

    async def task(self, request: Request) -> Response:
        if (refused := self._refuse_auth(request)) is not None:
            return refused
        task_id = request.path_params["task_id"]
        task = self.tasks.get(task_id)
        if task is None:
            return error(404, "ResourceNotFound", f"The specified task {task_id} is not found.", "NotFound")
        if request.method == "DELETE":
            return self._delete(task_id, task)
        if task["status"] in ("queued", "running"):
            task["polls"] += 1
            task["status"] = self._progress(task)
        return JSONResponse(self.view(task_id, task, str(request.base_url).rstrip("/")))

    def _progress(self, task: dict[str, Any]) -> str:
        if task["polls"] <= self.queued_polls:
            return "queued"
        if task["polls"] < self.polls_to_complete:
            return "running"
        prompt = next(c["text"] for c in task["body"]["content"] if c["type"] == "text")
        return "failed" if "FAIL" in prompt else "expired" if "EXPIRE" in prompt else "succeeded"

    def _delete(self, task_id: str, task: dict[str, Any]) -> Response:
        status = task["status"]
        if status in ("running", "cancelled"):
            return error(
                400,
                "InvalidAction.TaskStatus",
                f"The task {task_id} cannot be cancelled or deleted while it is {status}.",
                "BadRequest",
            )
        if status == "queued":
            task["status"] = "cancelled"
            self.cancelled.append(task_id)
        else:
            del self.tasks[task_id]
            self.deleted.append(task_id)
        return JSONResponse({})

    def view(self, task_id: str, task: dict[str, Any], base: str) -> dict[str, Any]:
        """A task as ModelArk's Retrieve answers it (unset fields left out, as Ark does)."""
        body, status = task["body"], task["status"]
        resolution = body.get("resolution") or "720p"
        duration = body.get("duration") or 5
        out: dict[str, Any] = {
            "id": task_id,
            "model": body["model"],
            "status": status,
            "created_at": NOW,
            "updated_at": NOW + 10 * task["polls"],
            "service_tier": "default",
            "execution_expires_after": 172800,
        }
        if status == "failed":
            out["error"] = {
                "code": "OutputVideoSensitiveContentDetected",
                "message": "The request failed because the output video may contain sensitive information.",
            }
        if status == "succeeded":
            tokens = AREA[resolution] * 24 * duration // 1024
            out["content"] = {
                "video_url": f"{base}/tos/ark-content-generation-ap-southeast-1/{task_id}/video.mp4"
                "?X-Tos-Algorithm=TOS4-HMAC-SHA256&X-Tos-Expires=86400&X-Tos-Signature=fake"
            }
            out["usage"] = {"completion_tokens": tokens, "total_tokens": tokens}
            out["seed"] = body.get("seed") if body.get("seed") not in (None, -1) else 58944
        if status in ("succeeded", "failed"):
            out |= {
                "resolution": resolution,
                "ratio": body.get("ratio") or "16:9",
                "duration": duration,
                "framespersecond": 24,
                "draft": False,
                "priority": 0,
            }
            if MODELS[body["model"]].audio:
                out["generate_audio"] = body.get("generate_audio", True) is not False
        return out

    async def video(self, request: Request) -> Response:
        self.downloads.append(dict(request.headers))
        if "authorization" in request.headers or "X-Tos-Signature" not in request.query_params:
            return Response(
                "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>",
                403,
                media_type="application/xml",
            )
        return Response(sample_media()["video"], media_type="video/mp4")

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/api/v3/contents/generations/tasks", self.create, methods=["POST"]),
                Route("/api/v3/contents/generations/tasks/{task_id}", self.task, methods=["GET", "DELETE"]),
                Route("/tos/{bucket}/{task_id}/video.mp4", self.video, methods=["GET"]),
            ]
        )


provider_fake = ArkFake.provider_fake
