"""A fake of xAI's video generation REST API (Grok Imagine), on loopback.

It follows xAI's published REST reference, the OpenAPI spec in xai-org/xai-sdk-ts
(https://github.com/xai-org/xai-sdk-ts/blob/41e766acb9160402c47301beca97764ace073ffc/spec/openapi.json:
paths `/v1/videos/generations` and `/v1/videos/{request_id}`, schemas `GenerateVideoRequest`,
`StartDeferredResponse`, `VideoResponse`), the docs page
https://docs.x.ai/developers/model-capabilities/video/generation (`generate_audio`, `last_frame`),
and what is known of xAI's refusals: HTTP 400 with a bare JSON string for a wrong key
("Incorrect API key provided", continuedev/continue#10161) and `{"code", "error"}` bodies
(Bifrost's `ParseXAIError`). xAI's Python SDK speaks gRPC; the SDK oracle
(tests/sdk_oracles/test_xai_oracle.py) serves this same job store over the SDK's own gRPC servicer.

Behaviour: a job answers HTTP 202 with no body on its first poll (`bodyless_polls`), then 202
`{"status": "pending", "progress"}`, and 200 `done` on poll `polls_to_complete`, with a
`video.url` on this server's `/cdn/` (public: no key needed). Prompts steer the outcome: `FAIL` ends
`failed` with `invalid_argument`, `MODERATE` ends `done` with an empty URL and
`respect_moderation: false`, `EXPIRE` ends `expired`; `REJECT` is refused at creation (HTTP 400).
There is no cancel or delete endpoint.

Edits and extensions: `POST /v1/videos/edits` `{model, prompt, video: {url}}` and
`POST /v1/videos/extensions` `{..., duration}` (1-10 s), answered and polled like generations. The
pinned REST reference has no such paths; their bodies are the fields of the SDK's gRPC
`GenerateVideoRequest.video` and `ExtendVideoRequest` (`VideoUrlContent {url}`), as xAI-compatible
gateways send them. The video must be a public URL or a base64 data URL of a video.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import json
import threading
from typing import Any

import jsonschema
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.providers.gateway import ProviderFake

from .harness import sample_media

KEY = "xai-fake-key-0123456789abcdef"
MODELS = ("grok-imagine-video", "grok-imagine-video-1.5", "grok-imagine-video-1.5-lite")
NO_1080P = ("grok-imagine-video",)  # docs: "480p, 720p" for the first model
TICKS_PER_SECOND = 500_000_000  # $0.05 a second (1 USD = 1e10 ticks)

# The reference's shapes, as JSON Schema (OpenAPI 3.1 is JSON Schema 2020-12), narrowed to the
# fields it names: the fake refuses a request with a field it does not know, and the oracle test
# holds every answer the fake serves against the answer schemas.
IMAGE_URL = {  # `ImageUrl`: a URL or data URL, or a Files API id ("also accepts image_url")
    "type": "object",
    "properties": {
        "url": {"type": "string", "minLength": 1},
        "image_url": {"type": "string", "minLength": 1},
        "file_id": {"type": ["string", "null"]},
    },
    "additionalProperties": False,
    "anyOf": [{"required": ["url"]}, {"required": ["image_url"]}, {"required": ["file_id"]}],
}
GENERATE_VIDEO_REQUEST = {
    "type": "object",
    "properties": {
        "prompt": {"type": "string"},
        "model": {"type": ["string", "null"]},
        "duration": {  # "Accepts both number (8) and string ("8") values"
            "oneOf": [
                {"type": "null"},
                {"type": "integer", "minimum": 1, "maximum": 15},
                {"type": "string", "pattern": "^([1-9]|1[0-5])$"},
            ]
        },
        "aspect_ratio": {"enum": [None, "1:1", "16:9", "9:16", "4:3", "3:4", "3:2", "2:3"]},
        "resolution": {"enum": [None, "480p", "720p", "1080p"]},
        "image": {"oneOf": [{"type": "null"}, IMAGE_URL]},
        "reference_images": {"type": "array", "items": IMAGE_URL},
        "keyframes": {
            "type": "array",
            "maxItems": 4,
            "items": {
                "type": "object",
                "required": ["image", "timestamp_s"],
                "properties": {"image": IMAGE_URL, "timestamp_s": {"type": "number"}},
            },
        },
        "reference_audios": {"type": "array", "maxItems": 3, "items": {"type": "object"}},
        "storage_options": {"type": ["object", "null"]},
        "output": {
            "oneOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "required": ["upload_url"],
                    "properties": {"upload_url": {"type": "string"}},
                },
            ]
        },
        "user": {"type": ["string", "null"]},
        "generate_audio": {"type": ["boolean", "null"]},  # docs page (not in the 41e766ac spec)
        "last_frame": {"oneOf": [{"type": "null"}, IMAGE_URL]},  # docs page
    },
    "additionalProperties": False,
}
VIDEO_SOURCE = {  # VideoUrlContent: a URL or a data URL
    "type": "object",
    "required": ["url"],
    "properties": {"url": {"type": "string", "minLength": 1}},
    "additionalProperties": False,
}
EDIT_VIDEO_REQUEST = {
    "type": "object",
    "required": ["prompt", "video"],
    "properties": {"model": {"type": "string"}, "prompt": {"type": "string"}, "video": VIDEO_SOURCE},
    "additionalProperties": False,
}
EXTEND_VIDEO_REQUEST = {
    **EDIT_VIDEO_REQUEST,
    "properties": {
        **EDIT_VIDEO_REQUEST["properties"],
        "duration": {"type": "integer", "minimum": 1, "maximum": 10},
    },
}
EXTENDS = ("grok-imagine-video",)  # the model xAI extends with

START_DEFERRED_RESPONSE = {
    "type": "object",
    "required": ["request_id"],
    "properties": {"request_id": {"type": "string", "minLength": 1}},
    "additionalProperties": False,
}
VIDEO_ERROR = {
    "type": "object",
    "required": ["code", "message"],
    "properties": {
        "code": {  # `VideoErrorCode`
            "enum": [
                "invalid_argument",
                "permission_denied",
                "failed_precondition",
                "service_unavailable",
                "internal_error",
            ]
        },
        "message": {"type": "string"},
    },
    "additionalProperties": False,
}
GENERATED_VIDEO = {
    "type": "object",
    "required": ["duration", "respect_moderation"],
    "properties": {
        "url": {"type": ["string", "null"]},
        "duration": {"type": "integer"},
        "respect_moderation": {"type": "boolean"},
        "file_output": {"type": ["object", "null"]},
        "storage_error": {"type": ["string", "null"]},
    },
    "additionalProperties": False,
}
MEDIA_USAGE = {
    "type": "object",
    "required": ["cost_in_usd_ticks"],
    "properties": {"cost_in_usd_ticks": {"type": "integer"}},
    "additionalProperties": False,
}
VIDEO_RESPONSE = {
    "type": "object",
    "required": ["status"],
    "properties": {
        # a string in the spec; the docs table lists pending/done/failed, older docs and the proto expired
        "status": {"enum": ["pending", "done", "failed", "expired"]},
        "video": {"oneOf": [{"type": "null"}, GENERATED_VIDEO]},
        "model": {"type": ["string", "null"]},
        "usage": {"oneOf": [{"type": "null"}, MEDIA_USAGE]},
        "progress": {"type": ["integer", "null"], "minimum": 0, "maximum": 100},
        "error": {"oneOf": [{"type": "null"}, VIDEO_ERROR]},
    },
    "additionalProperties": False,
}
XAI_REFUSAL = {  # not in the spec: Bifrost's ParseXAIError `{code, error}`, or a bare string
    "oneOf": [
        {"type": "string", "minLength": 1},
        {
            "type": "object",
            "required": ["code", "error"],
            "properties": {"code": {"type": "string"}, "error": {"type": "string"}},
            "additionalProperties": False,
        },
    ]
}


def refusal(status: int, code: str, message: str) -> tuple[int, dict]:
    return status, {"code": code, "error": message}


class XaiFake:
    def __init__(self, key: str = KEY, polls_to_complete: int = 3, bodyless_polls: int = 1) -> None:
        self.key = key
        self.polls_to_complete = polls_to_complete
        self.bodyless_polls = bodyless_polls  # the first polls of a job answer 202 with no body
        self.jobs: dict[str, dict[str, Any]] = {}
        self.served: list[tuple[str, int, Any]] = []  # (path, status, body or None): every answer
        self.cdn_requests: list[dict[str, str]] = []
        self.lock = threading.Lock()
        self._ids = itertools.count(1)

    @classmethod
    def provider_fake(cls, catalog: dict[str, Any] | None = None, **kwargs: Any) -> ProviderFake:
        fake = cls(**kwargs)
        return ProviderFake(
            provider="xai", state=fake, app=fake.app(), secrets={"API_KEY": fake.key}, catalog=catalog or {}
        )

    # -- the job store, shared by the REST app below and the oracle's gRPC codec --------------------

    def refused_key(self, authorization: str | None) -> tuple[int, Any] | None:
        if authorization == f"Bearer {self.key}":
            return None
        shown = (authorization or "").removeprefix("Bearer ")
        masked = f"{shown[:2]}***{shown[-2:]}" if len(shown) > 4 else "***"
        return (
            400,
            f"Incorrect API key provided: {masked}. You can obtain an API key from https://console.x.ai.",
        )

    def start(self, body: Any) -> tuple[int, Any]:
        """What POST /v1/videos/generations answers for this JSON body."""
        try:
            jsonschema.validate(body, GENERATE_VIDEO_REQUEST)
        except jsonschema.ValidationError as exc:
            return refusal(
                422,
                "Client specified an invalid argument",
                f"Failed to deserialize the JSON body into the target type: {exc.message}",
            )
        model = body.get("model") or "grok-imagine-video"
        if model not in MODELS:
            return refusal(
                404,
                "Some requested entity was not found",
                f"The model {model} does not exist or your team does not have access to it.",
            )
        image = body.get("image") or None
        if image and (image.get("url") or image.get("image_url")):
            problem = self.bad_image(image.get("url") or image["image_url"])
            if problem:
                return refusal(400, "Client specified an invalid argument", problem)
        prompt = body.get("prompt") or ""
        if not prompt.strip() and not (image or body.get("keyframes") or body.get("last_frame")):
            return refusal(
                400, "Client specified an invalid argument", "prompt is required for text-to-video"
            )
        if body.get("resolution") == "1080p" and model in NO_1080P:
            return refusal(400, "Client specified an invalid argument", f"{model} does not support 1080p")
        if "REJECT" in prompt:
            return refusal(
                400, "Client specified an invalid argument", "The prompt violates the usage policy."
            )
        return 200, {"request_id": self.new_job(body, model)}

    def start_operation(self, kind: str, body: Any) -> tuple[int, Any]:
        """What POST /v1/videos/edits (`edit`) or /v1/videos/extensions (`extend`) answers."""
        try:
            jsonschema.validate(body, EXTEND_VIDEO_REQUEST if kind == "extend" else EDIT_VIDEO_REQUEST)
        except jsonschema.ValidationError as exc:
            return refusal(
                422,
                "Client specified an invalid argument",
                f"Failed to deserialize the JSON body into the target type: {exc.message}",
            )
        model = body.get("model") or "grok-imagine-video"
        if model not in MODELS or (kind == "extend" and model not in EXTENDS):
            return refusal(400, "Client specified an invalid argument", f"{model} does not {kind} videos")
        header, _, payload = body["video"]["url"].partition(",")
        if not body["video"]["url"].startswith("https://"):
            try:
                data = base64.b64decode(payload, validate=True)
            except (binascii.Error, ValueError):
                data = b""
            if (
                not (header.startswith("data:video/") and header.endswith(";base64"))
                or b"ftyp" not in data[:64]
            ):
                return refusal(400, "Client specified an invalid argument", "video.url is not a video")
        return 200, {"request_id": self.new_job(body, model)}

    @staticmethod
    def bad_image(url: str) -> str | None:
        if url.startswith(("http://", "https://")):
            return None
        header, _, payload = url.partition(",")
        if not (header.startswith("data:image/") and header.endswith(";base64")):
            return "image.url must be a public URL or a base64 data URL"
        try:
            data = base64.b64decode(payload, validate=True)
        except (binascii.Error, ValueError):
            return "image.url holds invalid base64"
        if not data.startswith((b"\x89PNG", b"\xff\xd8\xff", b"RIFF")):
            return "image.url is not a JPEG, PNG or WebP image"
        return None

    def new_job(self, body: dict[str, Any], model: str) -> str:
        with self.lock:
            rid = f"00000000-0000-4000-8000-{next(self._ids):012d}"
            self.jobs[rid] = {"body": body, "model": model, "polls": 0}
        return rid

    def answer(self, rid: str, base_url: str) -> tuple[int, Any]:
        """What GET /v1/videos/{rid} answers now (None: no body)."""
        job = self.jobs.get(rid)
        if job is None:
            return refusal(404, "Some requested entity was not found", f"No video request with id {rid}")
        with self.lock:
            job["polls"] += 1
            polls = job["polls"]
        prompt = job["body"].get("prompt") or ""
        if polls <= self.bodyless_polls and polls < self.polls_to_complete:
            return 202, None  # "Video generation still in progress", without a body
        if polls < self.polls_to_complete:
            return 202, {"status": "pending", "progress": min(99, polls * 100 // self.polls_to_complete)}
        if "FAIL" in prompt:
            return 200, {
                "status": "failed",
                "error": {"code": "invalid_argument", "message": "The prompt was rejected by moderation."},
            }
        if "EXPIRE" in prompt:
            return 200, {"status": "expired"}
        duration = int(job["body"].get("duration") or 8)
        moderated = "MODERATE" in prompt
        return 200, {
            "status": "done",
            "video": {
                "url": "" if moderated else f"{base_url}/cdn/xai-video-{rid}.mp4",
                "duration": duration,
                "respect_moderation": not moderated,
            },
            "model": job["model"],
            "usage": {"cost_in_usd_ticks": duration * TICKS_PER_SECOND},
            "progress": 100,
        }

    # -- REST -----------------------------------------------------------------------------------------

    def _reply(self, path: str, status: int, body: Any) -> Response:
        self.served.append((path, status, body))
        if body is None:
            return Response(status_code=status)
        return JSONResponse(body, status)

    async def generate(self, request: Request) -> Response:
        path = request.url.path
        if (refused := self.refused_key(request.headers.get("authorization"))) is not None:
            return self._reply(path, *refused)
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return self._reply(
                path,
                415,
                {"code": "Unsupported media type", "error": "Expected `Content-Type: application/json`"},
            )
        try:
            body = json.loads(await request.body())
        except json.JSONDecodeError as exc:
            return self._reply(
                path, *refusal(400, "Client specified an invalid argument", f"invalid JSON: {exc}")
            )
        if path.endswith("/edits"):
            return self._reply(path, *self.start_operation("edit", body))
        if path.endswith("/extensions"):
            return self._reply(path, *self.start_operation("extend", body))
        return self._reply(path, *self.start(body))

    async def poll(self, request: Request) -> Response:
        path = request.url.path
        if (refused := self.refused_key(request.headers.get("authorization"))) is not None:
            return self._reply(path, *refused)
        base = str(request.base_url).rstrip("/")
        return self._reply(path, *self.answer(request.path_params["request_id"], base))

    async def cdn(self, request: Request) -> Response:
        self.cdn_requests.append(dict(request.headers))
        return Response(sample_media()["video"], media_type="video/mp4")

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v1/videos/generations", self.generate, methods=["POST"]),
                Route("/v1/videos/edits", self.generate, methods=["POST"]),
                Route("/v1/videos/extensions", self.generate, methods=["POST"]),
                Route("/v1/videos/{request_id}", self.poll, methods=["GET"]),
                Route("/cdn/{name}", self.cdn, methods=["GET"]),
            ]
        )
