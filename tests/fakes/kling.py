"""A fake of Kling AI's API v1 video generation, as its published API reference describes it:

- https://kling.ai/document-api/apiReference/commonInfo: the JWT (HS256, `iss` the access key, `exp`,
  `nbf`) sent as `Authorization: Bearer`, and the error codes with their HTTP statuses;
- https://kling.ai/document-api/apiReference/model/textToVideo and .../imageToVideo: the create
  bodies (`model_name`, `duration` as a string, `mode`, `aspect_ratio`, raw base64 `image`,
  `external_task_id`), the `{code, message, request_id, data}` answers, `task_status`
  submitted|processing|succeed|failed and `task_result.videos[].url`, the query by task id or by
  external_task_id, and the list.

Kling publishes no official Python SDK, so nothing checks this fake against one: it follows that
reference (model lists as of its 2026 pages). Newer accounts' plain API key is accepted as the bearer
too when one is configured. Kling has no cancel or delete: such requests find no route.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import io
import itertools
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.providers.gateway import ProviderFake

from .harness import sample_media

ACCESS_KEY = "ak-fake-kling-0123456789"
SECRET_KEY = "sk-fake-kling-secret-9876543210"

# model_name values each create endpoint lists (the 2026 reference).
TEXT2VIDEO_MODELS = (
    "kling-v1",
    "kling-v1-6",
    "kling-v2-master",
    "kling-v2-1-master",
    "kling-v2-5-turbo",
    "kling-v2-6",
    "kling-v3",
)
IMAGE2VIDEO_MODELS = (*TEXT2VIDEO_MODELS, "kling-v1-5", "kling-v2-1")
SOUND_MODELS = ("kling-v2-6", "kling-v3")  # `sound: on`; kling-v2-6 only in pro mode
ENDPOINTS = ("text2video", "image2video")
ASPECT_RATIOS = ("16:9", "9:16", "1:1")
MODES = ("std", "pro")


def durations(model: str) -> tuple[str, ...]:
    return tuple(str(s) for s in range(3, 16)) if model == "kling-v3" else ("5", "10")


def _unb64url(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def verify_jwt(token: str, secret: str) -> dict[str, Any] | None:
    """The claims of an HS256 JWT signed with `secret`; None for anything else."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        header = json.loads(_unb64url(parts[0]))
        claims = json.loads(_unb64url(parts[1]))
        signature = _unb64url(parts[2])
    except (binascii.Error, ValueError):
        return None
    if not isinstance(header, dict) or header.get("alg") != "HS256" or not isinstance(claims, dict):
        return None
    expected = hmac.new(secret.encode(), f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256).digest()
    return claims if hmac.compare_digest(signature, expected) else None


def image_problem(value: Any) -> str | None:
    """Why Kling would refuse an `image`: a URL, or raw base64 of a JPEG/PNG at least 300 px."""
    if not isinstance(value, str) or not value:
        return "image must be a URL or base64 string"
    if value.startswith(("http://", "https://")):
        return None
    if value.startswith("data:"):
        return "image base64 must not carry a data: prefix"
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return "image is not valid base64"
    from PIL import Image, UnidentifiedImageError

    try:
        picture = Image.open(io.BytesIO(data))
    except UnidentifiedImageError:
        return "image format must be jpg, jpeg or png"
    if picture.format not in ("PNG", "JPEG"):
        return "image format must be jpg, jpeg or png"
    if min(picture.size) < 300:
        return "image width and height must be at least 300px"
    return None


class KlingFake:
    def __init__(
        self,
        access_key: str = ACCESS_KEY,
        secret_key: str = SECRET_KEY,
        *,
        api_key: str | None = None,
        polls_to_complete: int = 3,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.access_key = access_key
        self.secret_key = secret_key
        self.api_key = api_key
        self.polls_to_complete = polls_to_complete
        self.clock = clock  # what "now" is when a token is checked (a test may move it)
        self.tasks: dict[str, dict[str, Any]] = {}
        self.by_external: dict[str, str] = {}
        self.tokens: list[str] = []  # every bearer accepted, in order
        self.refused: list[int] = []  # the codes of refused credentials
        self.output_requests: list[dict[str, str]] = []
        self._ids = itertools.count(859364818342432832)

    # --- answers ---------------------------------------------------------------------------

    @staticmethod
    def error(status: int, code: int, message: str) -> JSONResponse:
        return JSONResponse({"code": code, "message": message, "request_id": str(uuid.uuid4())}, status)

    @staticmethod
    def ok(data: Any) -> JSONResponse:
        return JSONResponse({"code": 0, "message": "SUCCEED", "request_id": str(uuid.uuid4()), "data": data})

    def _refuse(self, code: int, message: str) -> JSONResponse:
        self.refused.append(code)
        return self.error(401, code, message)

    def _auth(self, request: Request) -> Response | None:
        header = request.headers.get("authorization")
        if not header:
            return self._refuse(1001, "Authorization is empty")
        scheme, _, token = header.partition(" ")
        if scheme != "Bearer" or not token:
            return self._refuse(1002, "Authorization is invalid")
        if self.api_key is not None and hmac.compare_digest(token, self.api_key):
            self.tokens.append(token)
            return None
        claims = verify_jwt(token, self.secret_key)
        if claims is None or claims.get("iss") != self.access_key:
            return self._refuse(1002, "Authorization is invalid")
        exp, nbf = claims.get("exp"), claims.get("nbf")
        if not isinstance(exp, int) or not isinstance(nbf, int):
            return self._refuse(1002, "Authorization is invalid")
        now = int(self.clock())
        if now < nbf:
            return self._refuse(1003, "Authorization is not yet valid")
        if now >= exp:
            return self._refuse(1004, "Authorization has expired")
        self.tokens.append(token)
        return None

    # --- create ------------------------------------------------------------------------------

    def _problem(self, endpoint: str, body: dict[str, Any]) -> str | None:
        """Why Kling would refuse this create body (code 1201), or None."""
        model = body.get("model_name", "kling-v1")
        models = TEXT2VIDEO_MODELS if endpoint == "text2video" else IMAGE2VIDEO_MODELS
        if model not in models:
            return f"model_name value {model!r} is invalid for {endpoint}"
        duration = body.get("duration", "5")
        if not isinstance(duration, str) or duration not in durations(model):
            return f"duration value {duration!r} is invalid"
        mode = body.get("mode", "std")
        if mode not in MODES:
            return f"mode value {mode!r} is invalid"
        for field in ("prompt", "negative_prompt"):
            if field in body and (not isinstance(body[field], str) or len(body[field]) > 2500):
                return f"{field} must be a string of at most 2500 characters"
        if endpoint == "text2video":
            if not body.get("prompt") and not body.get("multi_shot"):
                return "prompt is required"
            if body.get("aspect_ratio", "16:9") not in ASPECT_RATIOS:
                return f"aspect_ratio value {body.get('aspect_ratio')!r} is invalid"
        else:
            if not body.get("image") and not body.get("image_tail"):
                return "image and image_tail cannot both be empty"
            for field in ("image", "image_tail"):
                if field in body and (problem := image_problem(body[field])):
                    return problem
        sound = body.get("sound", "off")
        if sound not in ("on", "off"):
            return f"sound value {sound!r} is invalid"
        if sound == "on" and (model not in SOUND_MODELS or (model == "kling-v2-6" and mode != "pro")):
            return f"sound is not supported by {model} in {mode} mode"
        external = body.get("external_task_id")
        if external and external in self.by_external:
            return "external_task_id already exists"
        return None

    async def create(self, request: Request) -> Response:
        if (refused := self._auth(request)) is not None:
            return refused
        if not request.headers.get("content-type", "").startswith("application/json"):
            return self.error(400, 1200, "Content-Type must be application/json")
        try:
            body = await request.json()
        except ValueError:
            return self.error(400, 1200, "request body is not valid JSON")
        if not isinstance(body, dict):
            return self.error(400, 1200, "request body must be a JSON object")
        endpoint = request.url.path.rsplit("/", 1)[-1]
        if (problem := self._problem(endpoint, body)) is not None:
            return self.error(400, 1201, problem)
        if "BLOCKED" in str(body.get("prompt", "")):
            return self.error(400, 1301, "Failure to pass the risk control system")
        task_id = str(next(self._ids))
        now = int(time.time() * 1000)
        external = body.get("external_task_id") or ""
        self.tasks[task_id] = {
            "endpoint": endpoint,
            "body": body,
            "polls": 0,
            "created_at": now,
            "external_task_id": external,
        }
        if external:
            self.by_external[external] = task_id
        return self.ok(
            {
                "task_id": task_id,
                "task_status": "submitted",
                "task_info": {"external_task_id": external},
                "created_at": now,
                "updated_at": now,
            }
        )

    # --- query -------------------------------------------------------------------------------

    def _task(self, request: Request, task_id: str) -> dict[str, Any]:
        task = self.tasks[task_id]
        task["polls"] += 1
        out: dict[str, Any] = {
            "task_id": task_id,
            "task_info": {"external_task_id": task["external_task_id"]},
            "created_at": task["created_at"],
            "updated_at": int(time.time() * 1000),
        }
        if "FAIL" in str(task["body"].get("prompt", "")):
            return out | {
                "task_status": "failed",
                "task_status_msg": "Failure to pass the risk control system",
            }
        if task["polls"] == 1:
            return out | {"task_status": "submitted", "task_status_msg": ""}
        if task["polls"] < self.polls_to_complete:
            return out | {"task_status": "processing", "task_status_msg": ""}
        url = f"{str(request.base_url).rstrip('/')}/kcdn/{task_id}/output.mp4"
        return out | {
            "task_status": "succeed",
            "task_status_msg": "",
            "watermark_info": {"enabled": False},
            "final_unit_deduction": "1.5",
            "task_result": {
                "videos": [
                    {
                        "id": f"v-{task_id}",
                        "url": url,
                        "watermark_url": "",
                        "duration": task["body"].get("duration", "5"),
                    }
                ]
            },
        }

    async def query(self, request: Request) -> Response:
        if (refused := self._auth(request)) is not None:
            return refused
        endpoint, key = request.path_params["endpoint"], request.path_params["task_id"]
        if endpoint not in ENDPOINTS:
            return self.error(404, 1202, "the requested method is invalid")
        task_id = key if key in self.tasks else self.by_external.get(key)
        if task_id is None or self.tasks[task_id]["endpoint"] != endpoint:
            return self.error(404, 1203, "task not found")
        return self.ok(self._task(request, task_id))

    async def list(self, request: Request) -> Response:
        if (refused := self._auth(request)) is not None:
            return refused
        endpoint = request.path_params["endpoint"]
        if endpoint not in ENDPOINTS:
            return self.error(404, 1202, "the requested method is invalid")
        try:
            page = int(request.query_params.get("pageNum", "1"))
            size = int(request.query_params.get("pageSize", "30"))
        except ValueError:
            return self.error(400, 1201, "pageNum and pageSize must be integers")
        if not (1 <= page <= 1000 and 1 <= size <= 500):
            return self.error(400, 1201, "pageNum must be in [1, 1000] and pageSize in [1, 500]")
        ids = [t for t, task in reversed(self.tasks.items()) if task["endpoint"] == endpoint]
        chosen = ids[(page - 1) * size : page * size]
        return self.ok([self._task(request, t) for t in chosen])

    async def cdn(self, request: Request) -> Response:
        self.output_requests.append(dict(request.headers))
        if "authorization" in request.headers:  # the CDN is not the API: no credentials belong here
            return Response(b"credentials sent to the CDN", 403)
        return Response(sample_media()["video"], media_type="video/mp4")

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v1/videos/text2video", self.create, methods=["POST"]),
                Route("/v1/videos/image2video", self.create, methods=["POST"]),
                Route("/v1/videos/{endpoint:str}/{task_id:str}", self.query, methods=["GET"]),
                Route("/v1/videos/{endpoint:str}", self.list, methods=["GET"]),
                Route("/kcdn/{task_id:str}/output.mp4", self.cdn, methods=["GET"]),
            ]
        )


def provider_fake(**options: Any) -> ProviderFake:
    """The fake as the gateway's provider `kling`, reached with an access key and a secret key."""
    fake = KlingFake(**options)
    return ProviderFake(
        provider="kling",
        state=fake,
        app=fake.app(),
        secrets={"ACCESS_KEY_ID": fake.access_key, "SECRET_KEY": fake.secret_key},
    )
