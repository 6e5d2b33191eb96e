"""A fake of the OpenAI Videos API (and Azure OpenAI's copy of it under /openai/v1/videos), standing
for an OpenAI-compatible endpoint now that OpenAI's own Sora API is shut down.

It follows the published spec (github.com/openai/openai-openapi, openapi.yaml: `/videos*`) and what
the official `openai` SDK sends: create as multipart (the SDK's only form) or JSON (the spec's other
form), `seconds` as a string, `input_reference` a file part in multipart and `{image_url|file_id}`
in JSON, Bearer auth (`api-key` on Azure), `openai-poll-after-ms` on retrieve, the `video` variant by
default on `/content`, `{"error": {message, type, param, code}}` bodies. Sora models are held to the
values the SDK declares for them (VideoSeconds, VideoSize); any other model the fake serves is the
endpoint's own and takes what it is sent, with its own defaults for the rest. Every JSON body it
serves is kept in `served`; the SDK oracle validates them all with the SDK's types.

Not observed, only modelled (the spec says no more): the failed video that carries the headers of
a capacity failure (prompt with CAPACITY), and with `delete_running=False` the refusal to delete a
video that is not completed or failed ("Permanently delete a completed or failed video").
"""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.providers.gateway import ProviderFake
from tests.support.catalog import SORA_STILL_SERVED_CATALOG

from .harness import sample_media

CONTENT_TYPES = {"video": "video/mp4", "thumbnail": "image/webp", "spritesheet": "image/jpeg"}
SORA_SECONDS = ("4", "8", "12")  # the SDK's VideoSeconds
SORA_SIZES = {  # what each Sora model makes (the SDK's VideoSize is the union)
    "sora-2": ("720x1280", "1280x720"),
    "sora-2-pro": ("720x1280", "1280x720", "1024x1792", "1792x1024"),
}
OWN_DEFAULTS = ("5", "1280x720")  # an endpoint's own model: its defaults, not Sora's
CAPACITY_HEADERS = {"retry-after": "30", "x-openai-inference-capacity-reason": "region_at_capacity"}
KEY, AZURE_KEY = "sk-fake-compatible", "az-fake-key"


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


def supported(values: tuple[str, ...]) -> str:
    quoted = [f"'{v}'" for v in values]
    return ", ".join(quoted[:-1]) + f", and {quoted[-1]}"


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
        own_models: tuple[str, ...] = (),
        delete_running: bool = True,
    ) -> None:
        self.prefix, self.key, self.azure = prefix, key, azure
        self.polls_to_complete = polls_to_complete
        self.thumbnails = thumbnails
        self.own_models = own_models  # models of the endpoint's own, beside Sora's
        self.delete_running = delete_running
        self.videos: dict[str, FakeVideo] = {}
        self.creates = 0
        self.served: list[tuple[str, Any]] = []  # (kind, JSON body) of every answer
        self._ids = itertools.count(1)

    def authorized(self, request: Request) -> bool:
        if self.azure:
            return request.headers.get("api-key") == self.key
        return request.headers.get("authorization") == f"Bearer {self.key}"

    def _answer(self, kind: str, body: Any, status: int = 200, headers: dict | None = None) -> JSONResponse:
        self.served.append((kind, body))
        return JSONResponse(body, status, headers=headers)

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
        if v.status == "failed" and "CAPACITY" in v.prompt:
            out["error"] = {
                "code": "capacity_exceeded",
                "message": "the video could not be generated: no capacity in this region",
                "headers": CAPACITY_HEADERS,
                "type": "server_error",
            }
        elif v.status == "failed":
            out["error"] = {"code": "moderation_blocked", "message": "the prompt was blocked by moderation"}
        return out

    def _new(self, model: str, prompt: str, seconds: str, size: str, **kw) -> FakeVideo:
        self.creates += 1
        v = FakeVideo(
            f"video_fake{next(self._ids):04d}", model, prompt, seconds, size, int(time.time()), **kw
        )
        self.videos[v.id] = v
        return v

    async def _create_fields(self, request: Request) -> tuple[dict, str | None] | Response:
        """The create's fields and the image it came with, or the API's refusal of the body."""
        content_type = request.headers.get("content-type", "")
        if content_type.startswith("multipart/form-data"):
            form = await request.form()
            fields: dict = {}
            image = None
            for name, value in form.multi_items():
                if isinstance(value, UploadFile):
                    if name != "input_reference":
                        return error(400, f"Unexpected file parameter: '{name}'.", "unknown_parameter", name)
                    image = value.content_type
                else:
                    fields[name] = value
            if "input_reference" in fields:
                return error(
                    400,
                    "Invalid type for 'input_reference': expected a file, but got a string instead.",
                    "invalid_type",
                    "input_reference",
                )
            return fields, image
        if content_type.startswith("application/json"):
            try:
                fields = json.loads(await request.body())
            except json.JSONDecodeError:
                return error(400, "We could not parse the JSON body of your request.", "invalid_json")
            reference = fields.get("input_reference")
            if reference is not None and not (
                isinstance(reference, dict) and ("image_url" in reference) != ("file_id" in reference)
            ):
                return error(
                    400,
                    "Invalid 'input_reference': expected an object with exactly one of image_url or file_id.",
                    "invalid_type",
                    "input_reference",
                )
            return fields, "url" if reference is not None else None
        return error(
            400, f"Unsupported content type: '{content_type}'. Send multipart/form-data or application/json."
        )

    async def create(self, request: Request) -> Response:
        if not self.authorized(request):
            return error(401, "Incorrect API key provided", "invalid_api_key")
        parsed = await self._create_fields(request)
        if isinstance(parsed, Response):
            return parsed
        fields, image = parsed
        if not fields.get("prompt"):
            return error(400, "Missing required parameter: 'prompt'.", "missing_required_parameter", "prompt")
        if not isinstance(fields.get("seconds", "4"), str):
            return error(400, "Invalid type for 'seconds': expected a string", "invalid_type", "seconds")
        model = fields.get("model", "sora-2")
        sora = SORA_SIZES.get(model)
        if sora is None and not self.azure and model not in self.own_models:
            return error(404, f"The model '{model}' does not exist", "model_not_found", "model")
        if sora is not None or self.azure:  # a Sora model (every Azure deployment is one)
            sizes = sora or SORA_SIZES["sora-2"]
            for param, allowed in (("seconds", SORA_SECONDS), ("size", sizes)):
                if param in fields and fields[param] not in allowed:
                    message = f"Invalid value: '{fields[param]}'. Supported values are: {supported(allowed)}."
                    return error(400, message, "invalid_value", param)
            defaults = ("4", "720x1280")
        else:
            defaults = OWN_DEFAULTS
        v = self._new(
            model,
            fields["prompt"],
            fields.get("seconds", defaults[0]),
            fields.get("size", defaults[1]),
            had_image=image,
            extra={"fields": fields, "query": dict(request.query_params)},
        )
        return self._answer("video", self._object(v))

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
            elif ("FAIL" in v.prompt or "CAPACITY" in v.prompt) and v.polls >= 2:
                v.status = "failed"
            elif v.polls >= self.polls_to_complete:
                v.status, v.progress = "completed", 100
            else:
                v.status, v.progress = "in_progress", int(100 * v.polls / self.polls_to_complete)
        return self._answer("video", self._object(v), headers={"openai-poll-after-ms": "50"})

    async def content(self, request: Request) -> Response:
        v = self._find(request)
        if isinstance(v, Response):
            return v
        variant = request.query_params.get("variant", "video")
        if variant not in CONTENT_TYPES:
            return error(400, f"Invalid value: '{variant}'.", "invalid_value", "variant")
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
        return self._answer("video", self._object(new))

    async def delete(self, request: Request) -> Response:
        v = self._find(request)
        if isinstance(v, Response):
            return v
        if not self.delete_running and v.status not in ("completed", "failed"):
            return error(
                400,
                f"Video {v.id} is {v.status}: only a completed or failed video can be deleted",
                "invalid_state",
            )
        del self.videos[v.id]
        return self._answer("deleted", {"id": v.id, "object": "video.deleted", "deleted": True})

    async def list(self, request: Request) -> Response:
        if not self.authorized(request):
            return error(401, "Incorrect API key provided", "invalid_api_key")
        order = request.query_params.get("order", "desc")
        data = sorted(self.videos.values(), key=lambda v: (v.created_at, v.id), reverse=order != "asc")
        after = request.query_params.get("after")
        if after:
            ids = [v.id for v in data]
            data = data[ids.index(after) + 1 :] if after in ids else []
        limit = int(request.query_params.get("limit", 20))
        page = [self._object(v) for v in data[:limit]]
        return self._answer(
            "list",
            {
                "object": "list",
                "data": page,
                "first_id": page[0]["id"] if page else None,
                "last_id": page[-1]["id"] if page else None,
                "has_more": len(data) > limit,
            },
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


def provider_fake(
    *, own_models: tuple[str, ...] = ("wan-2.5",), delete_running: bool = False, **kw: Any
) -> ProviderFake:
    """`openai` in front of an OpenAI-compatible endpoint that still serves Sora (re-enabled in the
    catalog, as its operator would) beside a model of its own. BASE_URL in the SDK's form (`.../v1`)."""
    fake = OpenAIVideosFake(key=KEY, own_models=own_models, delete_running=delete_running, **kw)
    return ProviderFake(
        provider="openai",
        state=fake,
        app=fake.app(),
        secrets={"API_KEY": KEY},
        settings=lambda url: {"BASE_URL": url + "/v1"},
        catalog=SORA_STILL_SERVED_CATALOG,
    )


def azure_provider_fake(*, api_version: str | None = None, **kw: Any) -> ProviderFake:
    """`azure` in front of Azure OpenAI's v1 API: BASE_URL is the resource's endpoint."""
    fake = OpenAIVideosFake(prefix="/openai/v1/videos", key=AZURE_KEY, azure=True, **kw)
    return ProviderFake(
        provider="azure",
        state=fake,
        app=fake.app(),
        secrets={"API_KEY": AZURE_KEY},
        settings=lambda url: {"API_VERSION": api_version} if api_version else {},
    )


@dataclass(frozen=True)
class Part:
    """One part of a multipart/form-data body, as a server sees it."""

    name: str
    filename: str | None
    content_type: str | None
    value: bytes


def multipart_parts(content_type: str, body: bytes) -> list[Part]:
    """The parts of a recorded multipart body, in order (the boundary itself is not compared)."""
    from email import policy
    from email.parser import BytesParser

    message = BytesParser(policy=policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    )
    assert message.is_multipart(), content_type
    return [
        Part(
            name=str(part.get_param("name", header="content-disposition")),
            filename=part.get_filename(),
            content_type=part["content-type"],
            value=part.get_payload(decode=True),
        )
        for part in message.iter_parts()
    ]
