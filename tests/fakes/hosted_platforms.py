"""Fakes of Replicate's predictions API and fal's queue API."""

from __future__ import annotations

import itertools

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .harness import sample_media


class ReplicateFake:
    def __init__(self, token: str, polls_to_complete: int = 2) -> None:
        self.token = token
        self.polls_to_complete = polls_to_complete
        self.predictions: dict[str, dict] = {}
        self.cancelled: list[str] = []
        self._ids = itertools.count(1)

    async def create(self, request: Request) -> Response:
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return JSONResponse(
                {
                    "title": "Unauthenticated",
                    "detail": "You did not pass a valid authentication token",
                    "status": 401,
                },
                401,
            )
        body = await request.json()
        if "prompt" not in body.get("input", {}):
            return JSONResponse(
                {"title": "Input validation failed", "detail": "input: prompt is required", "status": 422},
                422,
            )
        pid = f"pred{next(self._ids):04d}"
        base = str(request.base_url).rstrip("/")
        self.predictions[pid] = {
            "polls": 0,
            "input": body["input"],
            "model": f"{request.path_params['owner']}/{request.path_params['name']}",
        }
        return JSONResponse(
            {
                "id": pid,
                "status": "starting",
                "input": body["input"],
                "output": None,
                "urls": {
                    "get": f"{base}/v1/predictions/{pid}",
                    "cancel": f"{base}/v1/predictions/{pid}/cancel",
                },
            },
            201,
        )

    async def get(self, request: Request) -> Response:
        p = self.predictions.get(request.path_params["pid"])
        if p is None:
            return JSONResponse({"detail": "Not found."}, 404)
        p["polls"] += 1
        out = {"id": request.path_params["pid"], "output": None, "error": None}
        if p["polls"] < self.polls_to_complete:
            return JSONResponse(out | {"status": "processing"})
        return JSONResponse(
            out
            | {
                "status": "succeeded",
                "output": f"{str(request.base_url).rstrip('/')}/files/{request.path_params['pid']}.mp4",
            }
        )

    async def cancel(self, request: Request) -> Response:
        self.cancelled.append(request.path_params["pid"])
        return JSONResponse({"id": request.path_params["pid"], "status": "canceled"})

    async def file(self, request: Request) -> Response:
        if "authorization" in request.headers:
            return JSONResponse({"detail": "presigned URLs take no credentials"}, 400)
        return Response(sample_media()["video"], media_type="video/mp4")

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v1/models/{owner}/{name}/predictions", self.create, methods=["POST"]),
                Route("/v1/predictions/{pid}", self.get, methods=["GET"]),
                Route("/v1/predictions/{pid}/cancel", self.cancel, methods=["POST"]),
                Route("/files/{name}", self.file, methods=["GET"]),
            ]
        )


class FalFake:
    def __init__(self, key: str, polls_to_complete: int = 2) -> None:
        self.key = key
        self.polls_to_complete = polls_to_complete
        self.requests: dict[str, dict] = {}
        self.cancelled: list[str] = []
        self._ids = itertools.count(1)

    def _auth(self, request: Request) -> bool:
        return request.headers.get("authorization") == f"Key {self.key}"

    async def submit(self, request: Request) -> Response:
        if not self._auth(request):
            return JSONResponse({"detail": "Unauthorized"}, 401)
        model = request.path_params["model"]
        app_id = "/".join(model.split("/")[:2])  # status URLs use the app id, not the full path
        rid = f"req-{next(self._ids):04d}"
        self.requests[rid] = {"polls": 0, "input": await request.json(), "model": model}
        base = f"{str(request.base_url).rstrip('/')}/{app_id}/requests/{rid}"
        return JSONResponse(
            {
                "request_id": rid,
                "status_url": f"{base}/status",
                "response_url": base,
                "cancel_url": f"{base}/cancel",
                "queue_position": 0,
            }
        )

    async def status(self, request: Request) -> Response:
        if not self._auth(request):
            return JSONResponse({"detail": "Unauthorized"}, 401)
        r = self.requests[request.path_params["rid"]]
        r["polls"] += 1
        if r["polls"] < self.polls_to_complete:
            return JSONResponse({"status": "IN_QUEUE", "queue_position": 1}, 202)
        return JSONResponse({"status": "COMPLETED"})

    async def result(self, request: Request) -> Response:
        if not self._auth(request):
            return JSONResponse({"detail": "Unauthorized"}, 401)
        r = self.requests[request.path_params["rid"]]
        if "FAIL" in r["input"]["prompt"]:
            return JSONResponse(
                {"detail": [{"msg": "Prompt could not be processed", "type": "value_error"}]}, 422
            )
        url = f"{str(request.base_url).rstrip('/')}/media/{request.path_params['rid']}.mp4"
        return JSONResponse({"video": {"url": url, "content_type": "video/mp4", "file_size": 1}})

    async def cancel(self, request: Request) -> Response:
        self.cancelled.append(request.path_params["rid"])
        return JSONResponse({"status": "CANCELLATION_REQUESTED"}, 202)

    async def media(self, request: Request) -> Response:
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
