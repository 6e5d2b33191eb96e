"""A fake of Veo on Vertex AI (Gemini Enterprise Agent Platform), with the GCS JSON API its `gcsUri`
outputs are read from.

It follows https://docs.cloud.google.com/gemini-enterprise-agent-platform/models/veo/3-1-generate and
the request and answer shapes of the official SDK (google-genai, `vertexai=True`): every answer here
is parsed into `GenerateVideosOperation` in tests/sdk_oracles/test_vertex_oracle.py.

    POST /v1/projects/{p}/locations/{l}/publishers/google/models/{m}:predictLongRunning   -> {name}
    POST /v1/projects/{p}/locations/{l}/publishers/google/models/{m}:fetchPredictOperation
         {"operationName"}      -> not done for a few looks, then done with `response` or `error`
    GET  /storage/v1/b/{bucket}/o/{object}?alt=media                          (the GCS JSON API)

Prompts steer the outcome: `FAIL` (done with an `error`), `BLOCKED` (done, the video taken by the
safety filters: `raiMediaFilteredCount/Reasons`), `GCS` (the video as a `gcsUri`, as when the
request names a `storageUri`; otherwise inline `bytesBase64Encoded`), `SLOW` (never done).
"""

from __future__ import annotations

import base64
import itertools
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.providers.gateway import ProviderFake

from .harness import sample_media

TOKEN = "ya29.fake-vertex-access-token"
PROJECT, LOCATION = "demo-project", "us-central1"
MODELS = {  # model -> resolutions it takes (None: the request may not name one)
    "veo-2.0-generate-001": None,
    "veo-3.1-generate-001": ("720p", "1080p", "4k"),
    "veo-3.1-fast-generate-001": ("720p", "1080p", "4k"),
    "veo-3.1-lite-generate-001": ("720p", "1080p"),
}
PARAMETERS = {
    "sampleCount", "durationSeconds", "aspectRatio", "resolution", "negativePrompt", "seed",
    "generateAudio", "storageUri", "personGeneration", "enhancePrompt", "fps", "pubsubTopic",
    "compressionQuality", "resizeMode",
}  # fmt: skip
INSTANCE = {"prompt", "image", "lastFrame", "video", "referenceImages", "mask"}
RESPONSE_TYPE = "type.googleapis.com/cloud.ai.large_models.vision.GenerateVideoResponse"


def google_error(status: int, message: str, reason: str) -> JSONResponse:
    return JSONResponse({"error": {"code": status, "message": message, "status": reason}}, status)


def invalid(body: object, model: str) -> str | None:
    """What the real API answers 400 INVALID_ARGUMENT for (a subset)."""
    if not isinstance(body, dict) or set(body) - {"instances", "parameters", "labels"}:
        return "Invalid JSON payload received."
    instances, parameters = body.get("instances"), body.get("parameters") or {}
    if not isinstance(instances, list) or len(instances) != 1 or not isinstance(instances[0], dict):
        return "instances must hold one instance."
    instance = instances[0]
    if set(instance) - INSTANCE or not isinstance(instance.get("prompt", ""), str):
        return "Invalid instance."
    if not instance.get("prompt") and "image" not in instance and "video" not in instance:
        return "A prompt, an image or a video is required."
    for media in ("image", "lastFrame", "video"):
        item = instance.get(media)
        if item is not None and (
            not isinstance(item, dict)
            or len({"bytesBase64Encoded", "gcsUri"} & set(item)) != 1
            or "mimeType" not in item
        ):
            return f"instances[0].{media} needs one of bytesBase64Encoded or gcsUri, and mimeType."
    if not isinstance(parameters, dict) or set(parameters) - PARAMETERS:
        return "Invalid parameters."
    if parameters.get("aspectRatio", "16:9") not in ("16:9", "9:16"):
        return "Unsupported aspect ratio."
    resolutions = MODELS[model]
    if "resolution" in parameters and (resolutions is None or parameters["resolution"] not in resolutions):
        return "Unsupported resolution for this model."
    if not isinstance(parameters.get("durationSeconds", 8), int):
        return "durationSeconds must be an integer."
    if not 1 <= parameters.get("sampleCount", 1) <= 4:
        return "sampleCount must be between 1 and 4."
    if not isinstance(parameters.get("generateAudio", False), bool):
        return "generateAudio must be a boolean."
    return None


class VertexFake:
    def __init__(
        self, token: str = TOKEN, project: str = PROJECT, location: str = LOCATION, polls_to_complete: int = 2
    ) -> None:
        self.token, self.project, self.location = token, project, location
        self.polls_to_complete = polls_to_complete
        self.operations: dict[str, dict] = {}  # name -> {"polls", "body"}
        self.bodies: list[dict] = []
        self.gcs_reads: list[str] = []
        self._ids = itertools.count(1)

    @classmethod
    def provider_fake(cls, **options: Any) -> ProviderFake:
        fake = cls(**options)
        return ProviderFake(
            provider="vertex",
            state=fake,
            app=fake.app(),
            secrets={"API_KEY": fake.token},
            settings=lambda url: {
                "PROJECT": fake.project,
                "LOCATION": fake.location,
                "STORAGE_BASE_URL": url,
            },
        )

    def _authorized(self, request: Request) -> bool:
        return request.headers.get("authorization") == f"Bearer {self.token}"

    async def model_action(self, request: Request) -> Response:
        if not self._authorized(request):
            return google_error(401, "Request had invalid authentication credentials.", "UNAUTHENTICATED")
        p = request.path_params
        model, _, action = p["model_action"].partition(":")
        if (p["project"], p["location"]) != (self.project, self.location):
            return google_error(404, "Not found", "NOT_FOUND")
        if model not in MODELS:
            return google_error(404, f"Publisher Model `{model}` not found.", "NOT_FOUND")
        body = await request.json()
        prefix = f"projects/{self.project}/locations/{self.location}/publishers/google/models/{model}"
        if action == "predictLongRunning":
            if problem := invalid(body, model):
                return google_error(400, problem, "INVALID_ARGUMENT")
            name = f"{prefix}/operations/{next(self._ids):04d}-5c1e-4f1d-9a3b-6d2f0e7a8b9c"
            self.operations[name] = {"polls": 0, "body": body}
            self.bodies.append(body)
            return JSONResponse({"name": name})
        if action == "fetchPredictOperation":
            name = body.get("operationName") if isinstance(body, dict) else None
            op = self.operations.get(name or "")
            if op is None or not str(name).startswith(prefix + "/"):
                return google_error(404, "Operation not found.", "NOT_FOUND")
            return JSONResponse(self._look(name, op))
        return google_error(404, f"No action {action!r}", "NOT_FOUND")

    def _look(self, name: str, op: dict) -> dict:
        op["polls"] += 1
        prompt = op["body"]["instances"][0].get("prompt", "")
        if op["polls"] < self.polls_to_complete or "SLOW" in prompt:
            return {
                "name": name,
                "metadata": {
                    "@type": "type.googleapis.com/google.cloud.aiplatform.v1.GenericOperationMetadata"
                },
            }
        if "FAIL" in prompt:
            error = {
                "code": 3,
                "message": "Unsupported output for this prompt.",
                "status": "INVALID_ARGUMENT",
            }
            return {"name": name, "done": True, "error": error}
        if "BLOCKED" in prompt:
            response = {
                "@type": RESPONSE_TYPE,
                "raiMediaFilteredCount": 1,
                "raiMediaFilteredReasons": ["The prompt could not be submitted (code 58061214)."],
            }
            return {"name": name, "done": True, "response": response}
        if "GCS" in prompt:
            video = {"gcsUri": f"gs://veo-out/{name.rsplit('/', 1)[1]}/sample_0.mp4", "mimeType": "video/mp4"}
        else:
            data = base64.b64encode(sample_media()["video"]).decode()
            video = {"bytesBase64Encoded": data, "mimeType": "video/mp4"}
        response = {"@type": RESPONSE_TYPE, "raiMediaFilteredCount": 0, "videos": [video]}
        return {"name": name, "done": True, "response": response}

    async def gcs(self, request: Request) -> Response:
        if not self._authorized(request) or request.query_params.get("alt") != "media":
            return google_error(
                401, "Anonymous caller does not have storage.objects.get access.", "UNAUTHENTICATED"
            )
        raw = request.scope["raw_path"].decode()
        if "%2F" not in raw:  # object names go percent-encoded, slashes too
            return google_error(404, "No such object.", "NOT_FOUND")
        self.gcs_reads.append(f"{request.path_params['bucket']}/{request.path_params['object']}")
        return Response(sample_media()["video"], media_type="video/mp4")

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route(
                    "/v1/projects/{project}/locations/{location}/publishers/google/models/{model_action}",
                    self.model_action,
                    methods=["POST"],
                ),
                Route("/storage/v1/b/{bucket}/o/{object:path}", self.gcs, methods=["GET"]),
            ]
        )


provider_fake = VertexFake.provider_fake
