"""A fake of Runway's API: tasks created by image/text to video, polled, cancelled by DELETE."""

from __future__ import annotations

import itertools

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .harness import sample_media


class RunwayFake:
    def __init__(self, key: str, polls_to_complete: int = 3) -> None:
        self.key = key
        self.polls_to_complete = polls_to_complete
        self.tasks: dict[str, dict] = {}
        self.cancelled: list[str] = []
        self.output_requests: list[dict] = []
        self._ids = itertools.count(1)

    def _check(self, request: Request) -> Response | None:
        if request.headers.get("authorization") != f"Bearer {self.key}":
            return JSONResponse({"error": "Invalid API key"}, 401)
        if request.headers.get("x-runway-version") != "2024-11-06":
            return JSONResponse({"error": "Missing or invalid X-Runway-Version header"}, 400)
        return None

    async def create(self, request: Request) -> Response:
        if (refused := self._check(request)) is not None:
            return refused
        body = await request.json()
        image_to_video = request.url.path.endswith("image_to_video")
        if image_to_video != ("promptImage" in body):
            return JSONResponse({"error": "promptImage is required for image_to_video only"}, 400)
        task_id = f"task-{next(self._ids):04d}"
        self.tasks[task_id] = {"polls": 0, "body": body, "path": request.url.path}
        return JSONResponse({"id": task_id})

    async def task(self, request: Request) -> Response:
        if (refused := self._check(request)) is not None:
            return refused
        task_id = request.path_params["task_id"]
        task = self.tasks.get(task_id)
        if task is None:
            return JSONResponse({"error": "Task not found"}, 404)
        if request.method == "DELETE":
            self.cancelled.append(task_id)
            del self.tasks[task_id]
            return Response(status_code=204)
        task["polls"] += 1
        out = {"id": task_id, "createdAt": "2026-11-25T00:00:00Z"}
        if "FAIL" in task["body"]["promptText"]:
            return JSONResponse(
                out | {"status": "FAILED", "failure": "Content moderation", "failureCode": "SAFETY"}
            )
        if task["polls"] == 1:
            return JSONResponse(out | {"status": "THROTTLED"})
        if task["polls"] < self.polls_to_complete:
            return JSONResponse(
                out | {"status": "RUNNING", "progress": task["polls"] / self.polls_to_complete}
            )
        url = f"{str(request.base_url).rstrip('/')}/cdn/{task_id}.mp4"
        return JSONResponse(out | {"status": "SUCCEEDED", "output": [url]})

    async def cdn(self, request: Request) -> Response:
        self.output_requests.append(dict(request.headers))
        return Response(sample_media()["video"], media_type="video/mp4")

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v1/image_to_video", self.create, methods=["POST"]),
                Route("/v1/text_to_video", self.create, methods=["POST"]),
                Route("/v1/tasks/{task_id}", self.task, methods=["GET", "DELETE"]),
                Route("/cdn/{name}", self.cdn, methods=["GET"]),
            ]
        )
