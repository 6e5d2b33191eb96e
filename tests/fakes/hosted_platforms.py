"""Fakes of Replicate's predictions API and fal's queue API.

Replicate follows its HTTP API reference (https://replicate.com/docs/reference/http) and the
official `replicate` SDK: Bearer auth; `POST /v1/models/{owner}/{name}/predictions` (a model's
current version) and `POST /v1/predictions` (a given `version`), both `{"input": {...}}`;
`GET /v1/predictions/{id}`; `POST /v1/predictions/{id}/cancel` (a finished prediction answers with
itself, an unknown one 404); RFC 7807 problem details (`title`, `detail`, `status`) for errors;
statuses `starting -> processing -> succeeded | failed | canceled | aborted`
(https://replicate.com/docs/topics/predictions/lifecycle). Every prediction it serves is a full
`Prediction` object (the SDK oracle validates them all with the SDK's own model).

fal follows its queue reference (https://docs.fal.ai/model-endpoints/queue) and the official
`fal-client`: `Authorization: Key ...`; `POST /{owner}/{app}[/{path}]` answers `request_id` and the
`status_url`, `response_url` and `cancel_url` to use, on the app id without the sub-path;
`GET .../status` is `IN_QUEUE` (with `queue_position`), `IN_PROGRESS`, then `COMPLETED` (with
`error`/`error_type` when the run failed); `GET .../requests/{id}` the result, or the app's 422
with FastAPI-style `detail`; `PUT .../cancel` is 202 `CANCELLATION_REQUESTED`, 400
`ALREADY_COMPLETED`, 404 `NOT_FOUND`. `hand_back_base` makes the queue hand back URLs on another
server (a queue that points the key somewhere else).

Both serve the finished MP4 from a "CDN" path that refuses credentials and records who asked.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.providers.gateway import ProviderFake

from .harness import sample_media

REPLICATE_TOKEN = "r8_fake_replicate_0123456789"
FAL_KEY = "fal-fake-key-id:fal-fake-key-secret"
# Versions the fake Replicate knows: version id -> the model it belongs to.
REPLICATE_VERSIONS = {
    "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa": "acme/clip-maker",
}


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


class ReplicateFake:
    def __init__(self, token: str = REPLICATE_TOKEN, polls_to_complete: int = 2) -> None:
        self.token = token
        self.polls_to_complete = polls_to_complete
        self.predictions: dict[str, dict[str, Any]] = {}
        self.cancelled: list[str] = []
        self.file_requests: list[dict[str, str]] = []
        self.served: list[tuple[str, Any]] = []  # (kind, JSON body) of every answer
        self._ids = itertools.count(1)

    # -- helpers ---------------------------------------------------------------------------------

    def _answer(self, kind: str, body: Any, status: int = 200) -> JSONResponse:
        self.served.append((kind, body))
        return JSONResponse(body, status)

    def _problem(self, status: int, title: str, detail: str, **extra: Any) -> JSONResponse:
        return self._answer("error", {"title": title, "detail": detail, "status": status, **extra}, status)

    def _unauthenticated(self, request: Request) -> JSONResponse | None:
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return self._problem(401, "Unauthenticated", "You did not pass a valid authentication token")
        return None

    def latest(self) -> dict[str, Any]:
        return self.predictions[max(self.predictions)]

    def view(self, pid: str, base: str) -> dict[str, Any]:
        p = self.predictions[pid]
        url = f"{base}/v1/predictions/{pid}"
        return {
            "id": pid,
            "model": p["model"],
            "version": p["version"],
            "input": p["input"],
            "logs": "",
            "output": p["output"],
            "data_removed": False,
            "error": p["error"],
            "status": p["status"],
            "created_at": p["created_at"],
            "started_at": p["started_at"],
            "completed_at": p["completed_at"],
            "urls": {
                "get": url,
                "cancel": f"{url}/cancel",
                "stream": f"{url}/stream",
                "web": f"https://replicate.com/p/{pid}",
            },
            "metrics": {"predict_time": 1.5} if p["completed_at"] else {},
        }

    # -- routes ----------------------------------------------------------------------------------

    async def _create(self, request: Request, model: str, version: str) -> Response:
        try:
            body = await request.json()
        except ValueError:
            return self._problem(400, "Bad request", "The request body is not valid JSON")
        inputs = body.get("input") if isinstance(body, dict) else None
        if not isinstance(inputs, dict):
            return self._problem(
                422, "Input validation failed", "- input: Invalid type. Expected: object, given: null"
            )
        if not isinstance(inputs.get("prompt"), str):
            return self._problem(
                422,
                "Input validation failed",
                "- input: prompt is required",
                invalid_fields=[{"type": "required", "field": "input", "description": "prompt is required"}],
            )
        pid = f"pred{next(self._ids):04d}"
        self.predictions[pid] = {
            "polls": 0,
            "input": inputs,
            "body": body,
            "path": request.url.path,
            "model": model,
            "version": version,
            "status": "starting",
            "output": None,
            "error": None,
            "created_at": now_iso(),
            "started_at": None,
            "completed_at": None,
        }
        return self._answer("prediction", self.view(pid, str(request.base_url).rstrip("/")), 201)

    async def create_for_model(self, request: Request) -> Response:
        if refused := self._unauthenticated(request):
            return refused
        model = f"{request.path_params['owner']}/{request.path_params['name']}"
        return await self._create(request, model, "hidden")  # official models hide their version

    async def create_for_version(self, request: Request) -> Response:
        if refused := self._unauthenticated(request):
            return refused
        try:
            version = (await request.json()).get("version")
        except (ValueError, AttributeError):
            version = None
        if version not in REPLICATE_VERSIONS:
            return self._problem(
                422,
                "Invalid version or not permitted",
                "The specified version does not exist (or perhaps you don't have permission to use it?)",
            )
        return await self._create(request, REPLICATE_VERSIONS[version], version)

    def _advance(self, pid: str, base: str) -> None:
        p = self.predictions[pid]
        if p["status"] not in ("starting", "processing"):
            return
        p["polls"] += 1
        if p["polls"] < self.polls_to_complete:
            if p["polls"] > 1 or self.polls_to_complete <= 2:  # the first poll still finds it starting
                p["status"], p["started_at"] = "processing", p["started_at"] or now_iso()
            return
        prompt = p["input"]["prompt"]
        p["completed_at"] = now_iso()
        if "ABORT" in prompt:  # the deadline passed before it started: no start, no error text
            p["status"] = "aborted"
        elif "FAIL" in prompt:
            p["status"], p["started_at"] = "failed", p["started_at"] or now_iso()
            p["error"] = "E005: the input or output was flagged as sensitive"
        else:
            p["status"], p["started_at"] = "succeeded", p["started_at"] or now_iso()
            p["output"] = f"{base}/files/{pid}.mp4"

    async def get(self, request: Request) -> Response:
        if refused := self._unauthenticated(request):
            return refused
        pid = request.path_params["pid"]
        if pid not in self.predictions:
            return self._problem(404, "Not found", "The requested resource could not be found.")
        base = str(request.base_url).rstrip("/")
        self._advance(pid, base)
        return self._answer("prediction", self.view(pid, base))

    async def cancel(self, request: Request) -> Response:
        if refused := self._unauthenticated(request):
            return refused
        pid = request.path_params["pid"]
        if pid not in self.predictions:
            return self._problem(404, "Not found", "The requested resource could not be found.")
        self.cancelled.append(pid)
        p = self.predictions[pid]
        if p["status"] in ("starting", "processing"):
            p["status"], p["completed_at"] = "canceled", now_iso()
        return self._answer("prediction", self.view(pid, str(request.base_url).rstrip("/")))

    async def file(self, request: Request) -> Response:
        self.file_requests.append(dict(request.headers))
        if "authorization" in request.headers:
            return JSONResponse({"detail": "presigned URLs take no credentials"}, 400)
        return Response(sample_media()["video"], media_type="video/mp4")

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v1/models/{owner}/{name}/predictions", self.create_for_model, methods=["POST"]),
                Route("/v1/predictions", self.create_for_version, methods=["POST"]),
                Route("/v1/predictions/{pid}", self.get, methods=["GET"]),
                Route("/v1/predictions/{pid}/cancel", self.cancel, methods=["POST"]),
                Route("/files/{name}", self.file, methods=["GET"]),
            ]
        )

    @classmethod
    def provider_fake(cls, polls_to_complete: int = 3) -> ProviderFake:
        fake = cls(polls_to_complete=polls_to_complete)
        return ProviderFake(provider="replicate", state=fake, app=fake.app(), secrets={"API_KEY": fake.token})


class FalFake:
    def __init__(self, key: str = FAL_KEY, polls_to_complete: int = 2) -> None:
        self.key = key
        self.polls_to_complete = polls_to_complete
        self.requests: dict[str, dict[str, Any]] = {}
        self.cancelled: list[str] = []
        self.media_requests: list[dict[str, str]] = []
        self.served: list[tuple[str, Any]] = []  # (kind, JSON body) of every answer
        self.hand_back_base: str | None = None  # answer with URLs on this server instead
        self._ids = itertools.count(1)

    def _answer(self, kind: str, body: Any, status: int = 200, headers: dict | None = None) -> JSONResponse:
        self.served.append((kind, body))
        return JSONResponse(body, status, headers=headers)

    def _unauthorized(self, request: Request) -> JSONResponse | None:
        if request.headers.get("authorization") != f"Key {self.key}":
            return self._answer("error", {"detail": "Unauthorized"}, 401)
        return None

    def latest(self) -> dict[str, Any]:
        return self.requests[max(self.requests)]

    def _find(self, request: Request) -> tuple[str, dict[str, Any]] | None:
        """The request at `/{owner}/{app}/requests/{rid}`, if it was submitted to that app."""
        rid = request.path_params["rid"]
        r = self.requests.get(rid)
        app_id = f"{request.path_params['owner']}/{request.path_params['app']}"
        if r is None or r["app_id"] != app_id:
            return None
        return rid, r

    def _urls(self, request: Request, r: dict[str, Any], rid: str) -> dict[str, str]:
        base = f"{self.hand_back_base or str(request.base_url).rstrip('/')}/{r['app_id']}/requests/{rid}"
        return {"status_url": f"{base}/status", "response_url": base, "cancel_url": f"{base}/cancel"}

    async def submit(self, request: Request) -> Response:
        if refused := self._unauthorized(request):
            return refused
        model = request.path_params["model"]
        try:
            inputs = await request.json()
        except ValueError:
            inputs = None
        if not isinstance(inputs, dict):
            return self._answer("error", {"detail": "the request body must be a JSON object"}, 422)
        rid = f"req-{next(self._ids):04d}"
        app_id = "/".join(model.split("/")[:2])  # status URLs use the app id, not the sub-path
        self.requests[rid] = {
            "polls": 0,
            "input": inputs,
            "model": model,
            "app_id": app_id,
            "state": "queued",
        }
        urls = self._urls(request, self.requests[rid], rid)
        return self._answer("submit", {"request_id": rid, **urls, "queue_position": 0})

    async def status(self, request: Request) -> Response:
        if refused := self._unauthorized(request):
            return refused
        found = self._find(request)
        if found is None:
            return self._answer("error", {"detail": "Request not found"}, 404)
        rid, r = found
        response_url = self._urls(request, r, rid)["response_url"]
        if r["state"] != "completed":
            r["polls"] += 1
            if r["polls"] >= self.polls_to_complete:
                r["state"] = "completed"
        if r["polls"] <= 1 and r["state"] == "queued":
            body = {"status": "IN_QUEUE", "queue_position": 1, "response_url": response_url}
            return self._answer("status", body, 202)
        if r["state"] != "completed":
            r["state"] = "in_progress"
            return self._answer(
                "status", {"status": "IN_PROGRESS", "logs": None, "response_url": response_url}, 202
            )
        body: dict[str, Any] = {
            "status": "COMPLETED",
            "logs": None,
            "metrics": {"inference_time": 4.2},
            "response_url": response_url,
        }
        if "FAIL" in str(r["input"].get("prompt")):
            body |= {"error": "Unprocessable Entity", "error_type": "content_policy_violation"}
        return self._answer("status", body)

    async def result(self, request: Request) -> Response:
        if refused := self._unauthorized(request):
            return refused
        found = self._find(request)
        if found is None:
            return self._answer("error", {"detail": "Request not found"}, 404)
        rid, r = found
        if r["state"] != "completed":
            return self._answer("error", {"detail": "Request is still in progress"}, 400)
        if "FAIL" in str(r["input"].get("prompt")):
            detail = [
                {
                    "loc": ["body", "prompt"],
                    "msg": "The content could not be processed because it contained material "
                    "flagged by a content checker.",
                    "type": "content_policy_violation",
                }
            ]
            return self._answer(
                "error", {"detail": detail}, 422, headers={"x-fal-error-type": "content_policy_violation"}
            )
        url = f"{str(request.base_url).rstrip('/')}/media/{rid}.mp4"
        video = {"url": url, "content_type": "video/mp4", "file_name": "output.mp4", "file_size": 1}
        return self._answer("result", {"video": video, "seed": 42})

    async def cancel(self, request: Request) -> Response:
        if refused := self._unauthorized(request):
            return refused
        found = self._find(request)
        if found is None:
            return self._answer("cancel", {"status": "NOT_FOUND"}, 404)
        rid, r = found
        if r["state"] == "completed":
            return self._answer("cancel", {"status": "ALREADY_COMPLETED"}, 400)
        self.cancelled.append(rid)
        return self._answer("cancel", {"status": "CANCELLATION_REQUESTED"}, 202)

    async def media(self, request: Request) -> Response:
        self.media_requests.append(dict(request.headers))
        if "authorization" in request.headers:
            return JSONResponse({"detail": "the CDN takes no credentials"}, 400)
        return Response(sample_media()["video"], media_type="video/mp4")

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/media/{name}", self.media, methods=["GET"]),
                Route("/{owner}/{app}/requests/{rid}/status", self.status, methods=["GET"]),
                Route("/{owner}/{app}/requests/{rid}/cancel", self.cancel, methods=["PUT"]),
                Route("/{owner}/{app}/requests/{rid}", self.result, methods=["GET"]),
                Route("/{model:path}", self.submit, methods=["POST"]),
            ]
        )

    @classmethod
    def provider_fake(cls, polls_to_complete: int = 3) -> ProviderFake:
        fake = cls(polls_to_complete=polls_to_complete)
        return ProviderFake(provider="fal", state=fake, app=fake.app(), secrets={"API_KEY": fake.key})
