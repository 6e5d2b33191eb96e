"""A fake of video on the Gemini API: the Interactions API with the Gemini Omni models, and the Files
API its `uri` deliveries point at.

It follows https://ai.google.dev/gemini-api/docs/omni (the request and the raw REST answer, `steps[]`
with a `model_output` step whose content is `{type: video, mime_type, data | uri}`; URI deliveries
polled with GET /v1beta/files/{id} until ACTIVE and read from `files/{id}:download?alt=media`) and
the shapes of the official SDK (google-genai 3.x, `google/genai/_gaos/types/interactions`): every
answer here is validated against them in tests/sdk_oracles/test_gemini_oracle.py.

    POST   /v1beta/interactions                 create (x-goog-api-key), background or not
    GET    /v1beta/interactions/{id}            in_progress for a few looks, then the outcome
    POST   /v1beta/interactions/{id}/cancel     cancel a background interaction
    DELETE /v1beta/interactions/{id}            forget a stored interaction
    GET    /v1beta/files/{id}                   the output file's state (PROCESSING, then ACTIVE)
    GET    /v1beta/files/{id}:download?alt=media    the MP4

Prompts steer the outcome: `FAIL` (status failed with `errors[]`), `BLOCKED` (failed, the
model_output step carries a google.rpc.Status error), `WORDS` (completed with text and no video),
`URI` (the video by Files-API uri instead of inline), `SLOW` (stays in progress).
"""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.providers.gateway import ProviderFake

from .harness import sample_media

KEY = "AIza-fake-gemini-key-0001"
MODELS = {  # model -> (resolutions, longest duration)
    "gemini-omni-1.2-flash": (("360p", "720p", "1080p", "4k"), 15),
    "gemini-omni-1.1-flash": (("360p", "720p", "1080p", "4k"), 10),
    "gemini-omni-flash-preview": (("720p",), 10),
}
CREATE_FIELDS = {
    "model", "input", "background", "store", "stream", "response_format", "generation_config",
    "previous_interaction_id", "system_instruction", "labels", "webhook_config", "service_tier",
}  # fmt: skip
VIDEO_FORMAT = {"type", "aspect_ratio", "resolution", "duration", "delivery", "gcs_uri"}
TASKS = {"text_to_video", "image_to_video", "reference_to_video", "edit", "extend", "upscale"}


def google_error(status: int, message: str, reason: str) -> JSONResponse:
    return JSONResponse({"error": {"code": status, "message": message, "status": reason}}, status)


def now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Interaction:
    id: str
    body: dict
    prompt: str
    polls: int = 0
    status: str = "in_progress"
    created: str = field(default_factory=now)


class GeminiFake:
    def __init__(self, key: str = KEY, polls_to_complete: int = 2) -> None:
        self.key = key
        self.polls_to_complete = polls_to_complete
        self.interactions: dict[str, Interaction] = {}
        self.file_looks: dict[str, int] = {}
        self.downloads: list[str] = []
        self.cancelled: list[str] = []
        self.deleted: list[str] = []
        self._ids = itertools.count(1)

    @classmethod
    def provider_fake(cls, **options: Any) -> ProviderFake:
        fake = cls(**options)
        return ProviderFake(provider="gemini", state=fake, app=fake.app(), secrets={"API_KEY": fake.key})

    def _refused(self, request: Request) -> JSONResponse | None:
        given = request.headers.get("x-goog-api-key")
        if given is None:
            return google_error(
                401, "Method doesn't allow unregistered callers. Please use an API Key.", "UNAUTHENTICATED"
            )
        if given != self.key:
            return google_error(400, "API key not valid. Please pass a valid API key.", "INVALID_ARGUMENT")
        return None

    # --- interactions ------------------------------------------------------------------------

    def _invalid(self, body: object) -> str | None:
        """What the real API rejects with 400 INVALID_ARGUMENT (a subset)."""
        if not isinstance(body, dict):
            return "Invalid JSON payload received."
        unknown = set(body) - CREATE_FIELDS
        if unknown:
            return f'Invalid JSON payload received. Unknown name "{sorted(unknown)[0]}": Cannot find field.'
        model = body.get("model")
        if model not in MODELS:
            return f"Model {model!r} is not found or does not support the Interactions API."
        if not body.get("input"):
            return "input is required."
        fmt = body.get("response_format") or {}
        if fmt:
            if not isinstance(fmt, dict) or fmt.get("type") != "video" or set(fmt) - VIDEO_FORMAT:
                return "response_format must be a video response format."
            resolutions, longest = MODELS[model]
            if fmt.get("aspect_ratio", "16:9") not in ("16:9", "9:16"):
                return "aspect_ratio must be 16:9 or 9:16."
            if fmt.get("resolution", "720p") not in resolutions:
                return f"resolution {fmt.get('resolution')} is not supported by {model}."
            duration = re.fullmatch(r"(\d+)s", str(fmt.get("duration", "8s")))
            if duration is None or not 3 <= int(duration.group(1)) <= longest:
                return f"duration must be between 3s and {longest}s."
            if fmt.get("delivery", "inline") not in ("inline", "uri"):
                return "delivery must be inline or uri."
        video = (body.get("generation_config") or {}).get("video_config") or {}
        if video and video.get("task") not in TASKS:
            return "video_config.task is not a known task."
        return None

    @staticmethod
    def _prompt(given: object) -> str:
        if isinstance(given, str):
            return given
        texts = []
        for item in given if isinstance(given, list) else [given]:
            for content in item.get("content", [item]) if isinstance(item, dict) else []:
                if isinstance(content, dict) and content.get("type") == "text":
                    texts.append(str(content.get("text", "")))
        return " ".join(texts)

    async def create(self, request: Request) -> Response:
        if refused := self._refused(request):
            return refused
        body = await request.json()
        if problem := self._invalid(body):
            return google_error(400, problem, "INVALID_ARGUMENT")
        interaction = Interaction(f"v1_fake{next(self._ids):06d}", body, self._prompt(body["input"]))
        self.interactions[interaction.id] = interaction
        if not body.get("background"):  # unary: the outcome straight away
            interaction.polls = self.polls_to_complete - 1
            self._advance(interaction)
        return JSONResponse(self._answer(interaction, request))

    def _advance(self, interaction: Interaction) -> None:
        interaction.polls += 1
        if interaction.status != "in_progress" or "SLOW" in interaction.prompt:
            return
        if interaction.polls < self.polls_to_complete:
            return
        p = interaction.prompt
        interaction.status = "failed" if ("FAIL" in p or "BLOCKED" in p) else "completed"

    def _answer(self, interaction: Interaction, request: Request) -> dict:
        body = interaction.body
        answer: dict = {
            "id": interaction.id,
            "object": "interaction",
            "model": body["model"],
            "status": interaction.status,
            "created": interaction.created,
            "updated": now(),
        }
        if interaction.status in ("in_progress", "cancelled"):
            return answer
        given = body["input"]
        user = given if isinstance(given, list) else [{"type": "text", "text": given}]
        steps: list[dict] = [{"type": "user_input", "content": user}]
        prompt = interaction.prompt
        if "FAIL" in prompt:
            answer["errors"] = [
                {"code": "RESOURCE_EXHAUSTED", "message": "The video could not be generated: capacity."}
            ]
        elif "BLOCKED" in prompt:
            steps.append(
                {
                    "type": "model_output",
                    "error": {"code": 3, "message": "The prompt was blocked by the safety filters."},
                }
            )
        elif "WORDS" in prompt:
            steps.append(
                {"type": "model_output", "content": [{"type": "text", "text": "I can't make that video."}]}
            )
        else:
            steps.append({"type": "thought", "summary": [{"type": "text", "text": "Planning the shot."}]})
            video: dict = {"type": "video", "mime_type": "video/mp4"}
            if "URI" in prompt and (body.get("response_format") or {}).get("delivery") == "uri":
                file_id = f"vid{interaction.id[-6:]}"
                video["uri"] = (
                    f"{str(request.base_url).rstrip('/')}/v1beta/files/{file_id}:download?alt=media"
                )
            else:
                video["data"] = base64.b64encode(sample_media()["video"]).decode()
            steps.append({"type": "model_output", "content": [video]})
            answer["usage"] = {"total_input_tokens": 12, "total_output_tokens": 46336}
        answer["steps"] = steps
        return answer

    async def get(self, request: Request) -> Response:
        if refused := self._refused(request):
            return refused
        interaction = self.interactions.get(request.path_params["id"])
        if interaction is None:
            return google_error(404, "Interaction not found.", "NOT_FOUND")
        if request.query_params.get("stream") not in (None, "false"):
            return google_error(400, "This fake does not stream.", "INVALID_ARGUMENT")
        self._advance(interaction)
        return JSONResponse(self._answer(interaction, request))

    async def cancel(self, request: Request) -> Response:
        if refused := self._refused(request):
            return refused
        interaction = self.interactions.get(request.path_params["id"])
        if interaction is None:
            return google_error(404, "Interaction not found.", "NOT_FOUND")
        if interaction.status != "in_progress":
            return google_error(
                400, "Only an interaction in progress can be cancelled.", "FAILED_PRECONDITION"
            )
        interaction.status = "cancelled"
        self.cancelled.append(interaction.id)
        return JSONResponse(self._answer(interaction, request))

    async def delete(self, request: Request) -> Response:
        if refused := self._refused(request):
            return refused
        if self.interactions.pop(request.path_params["id"], None) is None:
            return google_error(404, "Interaction not found.", "NOT_FOUND")
        self.deleted.append(request.path_params["id"])
        return JSONResponse({})

    # --- files ---------------------------------------------------------------------------------

    async def file(self, request: Request) -> Response:
        if refused := self._refused(request):
            return refused
        file_id, _, action = request.path_params["file"].partition(":")
        if not file_id.startswith("vid"):
            return google_error(404, f"File files/{file_id} not found.", "NOT_FOUND")
        if action == "download":
            if request.query_params.get("alt") != "media":
                return google_error(400, "download needs alt=media", "INVALID_ARGUMENT")
            self.downloads.append(file_id)
            return Response(sample_media()["video"], media_type="video/mp4")
        if action:
            return google_error(404, "Not found", "NOT_FOUND")
        looks = self.file_looks[file_id] = self.file_looks.get(file_id, 0) + 1
        base = str(request.base_url).rstrip("/")
        return JSONResponse(
            {
                "name": f"files/{file_id}",
                "mimeType": "video/mp4",
                "sizeBytes": str(len(sample_media()["video"])),
                "createTime": now(),
                "uri": f"{base}/v1beta/files/{file_id}",
                "downloadUri": f"{base}/v1beta/files/{file_id}:download?alt=media",
                "state": "PROCESSING" if looks < 2 else "ACTIVE",
                "source": "GENERATED",
            }
        )

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v1beta/interactions", self.create, methods=["POST"]),
                Route("/v1beta/interactions/{id}", self.get, methods=["GET"]),
                Route("/v1beta/interactions/{id}", self.delete, methods=["DELETE"]),
                Route("/v1beta/interactions/{id}/cancel", self.cancel, methods=["POST"]),
                Route("/v1beta/files/{file}", self.file, methods=["GET"]),
            ]
        )


provider_fake = GeminiFake.provider_fake
