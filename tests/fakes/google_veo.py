"""Fakes of Veo on the Gemini API and on Vertex AI (with the GCS JSON API for gcsUri outputs)."""

from __future__ import annotations

import base64
import itertools

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from .harness import sample_media


def google_error(status: int, message: str, reason: str) -> JSONResponse:
    return JSONResponse({"error": {"code": status, "message": message, "status": reason}}, status)


class Operations:
    """Long-running operations that finish after `polls_to_complete` looks."""

    def __init__(self, polls_to_complete: int = 2) -> None:
        self.polls_to_complete = polls_to_complete
        self.ops: dict[str, dict] = {}
        self.bodies: list[dict] = []
        self._ids = itertools.count(1)

    def start(self, name_prefix: str, body: dict) -> str:
        self.bodies.append(body)
        name = f"{name_prefix}/operations/op{next(self._ids):04d}"
        self.ops[name] = {"polls": 0, "body": body}
        return name

    def poll(self, name: str) -> dict | None:
        op = self.ops.get(name)
        if op is None:
            return None
        op["polls"] += 1
        return op if op["polls"] >= self.polls_to_complete else {**op, "pending": True}


class GeminiFake:
    def __init__(self, key: str) -> None:
        self.key = key
        self.operations = Operations()
        self.downloads_with_key = 0

    def _auth(self, request: Request) -> bool:
        return request.headers.get("x-goog-api-key") == self.key

    async def create(self, request: Request) -> Response:
        if not self._auth(request):
            return google_error(403, "API key not valid. Please pass a valid API key.", "PERMISSION_DENIED")
        model = request.path_params["model_action"].split(":")[0]
        body = await request.json()
        if set(body) != {"instances", "parameters"} or "prompt" not in body["instances"][0]:
            return google_error(400, "Invalid JSON payload received.", "INVALID_ARGUMENT")
        return JSONResponse({"name": self.operations.start(f"models/{model}", body)})

    async def operation(self, request: Request) -> Response:
        if not self._auth(request):
            return google_error(403, "API key not valid.", "PERMISSION_DENIED")
        name = request.path_params["name"]
        op = self.operations.poll(name)
        if op is None:
            return google_error(404, "Operation not found", "NOT_FOUND")
        if op.get("pending"):
            return JSONResponse({"name": name, "done": False})
        prompt = op["body"]["instances"][0]["prompt"]
        if "BLOCKED" in prompt:
            response = {
                "generateVideoResponse": {
                    "raiMediaFilteredCount": 1,
                    "raiMediaFilteredReasons": ["The prompt was blocked."],
                }
            }
        else:
            file_id = name.rsplit("/", 1)[1]
            uri = f"{str(request.base_url).rstrip('/')}/v1beta/files/{file_id}:download?alt=media"
            response = {
                "@type": "type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse",
                "generateVideoResponse": {"generatedSamples": [{"video": {"uri": uri}}]},
            }
        return JSONResponse({"name": name, "done": True, "response": response})

    async def file(self, request: Request) -> Response:
        if not self._auth(request):
            return google_error(403, "API key not valid.", "PERMISSION_DENIED")
        self.downloads_with_key += 1
        return RedirectResponse(f"/storage/{request.path_params['file']}", status_code=302)

    async def storage(self, request: Request) -> Response:
        return Response(sample_media()["video"], media_type="video/mp4")

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v1beta/models/{model_action}", self.create, methods=["POST"]),
                Route("/v1beta/files/{file}", self.file, methods=["GET"]),
                Route("/v1beta/{name:path}", self.operation, methods=["GET"]),
                Route("/storage/{file:path}", self.storage, methods=["GET"]),
            ]
        )


class VertexFake:
    """Also serves the GCS JSON API (`/storage/v1/b/{bucket}/o/{object}?alt=media`)."""

    def __init__(self, token: str, project: str, location: str) -> None:
        self.token, self.project, self.location = token, project, location
        self.operations = Operations()
        self.gcs_reads: list[str] = []

    def _auth(self, request: Request) -> bool:
        return request.headers.get("authorization") == f"Bearer {self.token}"

    def _prefix_ok(self, request: Request) -> bool:
        p = request.path_params
        return p["project"] == self.project and p["location"] == self.location

    async def create(self, request: Request) -> Response:
        if not self._auth(request):
            return google_error(401, "Request had invalid authentication credentials.", "UNAUTHENTICATED")
        model, action = request.path_params["model_action"].split(":")
        if not self._prefix_ok(request) or action not in ("predictLongRunning", "fetchPredictOperation"):
            return google_error(404, "Not found", "NOT_FOUND")
        body = await request.json()
        prefix = f"projects/{self.project}/locations/{self.location}/publishers/google/models/{model}"
        if action == "predictLongRunning":
            return JSONResponse({"name": self.operations.start(prefix, body)})
        name = body["operationName"]
        op = self.operations.poll(name)
        if op is None:
            return google_error(404, "Operation not found", "NOT_FOUND")
        if op.get("pending"):
            return JSONResponse({"name": name, "done": False})
        prompt = op["body"]["instances"][0]["prompt"]
        if "GCS" in prompt:  # as when the request names a storageUri
            video = {"gcsUri": f"gs://veo-out/{name.rsplit('/', 1)[1]}/sample_0.mp4", "mimeType": "video/mp4"}
        else:
            video = {
                "bytesBase64Encoded": base64.b64encode(sample_media()["video"]).decode(),
                "mimeType": "video/mp4",
            }
        return JSONResponse(
            {
                "name": name,
                "done": True,
                "response": {
                    "@type": "type.googleapis.com/cloud.ai.large_models.vision.GenerateVideoResponse",
                    "raiMediaFilteredCount": 0,
                    "videos": [video],
                },
            }
        )

    async def gcs(self, request: Request) -> Response:
        if not self._auth(request) or request.query_params.get("alt") != "media":
            return google_error(
                401, "Anonymous caller does not have storage.objects.get access.", "UNAUTHENTICATED"
            )
        raw = request.scope["raw_path"].decode()
        assert "%2F" in raw, "GCS object names are sent percent-encoded"
        self.gcs_reads.append(f"{request.path_params['bucket']}/{request.path_params['object']}")
        return Response(sample_media()["video"], media_type="video/mp4")

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route(
                    "/v1/projects/{project}/locations/{location}/publishers/google/models/{model_action}",
                    self.create,
                    methods=["POST"],
                ),
                Route("/storage/v1/b/{bucket}/o/{object:path}", self.gcs, methods=["GET"]),
            ]
        )
