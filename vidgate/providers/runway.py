"""`runway`: Runway's API: image/text to video tasks, polled by id, cancelled on delete."""

from __future__ import annotations

from typing import ClassVar

from ..config import ProviderSettings
from ..domain import ImageInput, InvalidRequest, JobRecord, JobStatus
from ..upstream import UpstreamError
from .base import (
    Capability,
    Failed,
    GenerationRequest,
    JobContext,
    Outcome,
    Pending,
    PreparedJob,
    RemoteProvider,
    Submitted,
)
from .checks import check_choice, refuse_unsupported

API_VERSION = "2024-11-06"
# model -> (takes text only?, durations, sizes); sizes are Runway's `ratio` with `x` for `:`
MODELS: dict[str, tuple[bool, tuple[int, ...], tuple[str, ...]]] = {
    "gen4_turbo": (
        False,
        tuple(range(2, 11)),
        ("1280x720", "720x1280", "1104x832", "832x1104", "960x960", "1584x672"),
    ),
    "veo3.1": (True, (4, 6, 8), ("1280x720", "720x1280", "1920x1080", "1080x1920")),
    "veo3": (True, (8,), ("1280x720", "720x1280")),
}
STATUS = {"PENDING": JobStatus.QUEUED, "THROTTLED": JobStatus.QUEUED, "RUNNING": JobStatus.IN_PROGRESS}


class RunwayVideos(RemoteProvider):
    name = "runway"
    models: ClassVar[tuple[str, ...]] = tuple(MODELS)
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {Capability.CREATE, Capability.RETRIEVE, Capability.DOWNLOAD, Capability.LIST, Capability.DELETE}
    )

    default_base_url = "https://api.dev.runwayml.com"

    def auth_headers(self, settings: ProviderSettings) -> dict[str, str]:
        return {**super().auth_headers(settings), "X-Runway-Version": API_VERSION}

    def prepare(self, request: GenerationRequest) -> PreparedJob:
        refuse_unsupported(self.name, request, ("negative_prompt", "video_uri", "audio"))
        if request.model not in MODELS:
            raise InvalidRequest(
                f"runway/{request.model} is not a model this gateway knows; use one of "
                + ", ".join(f"runway/{m}" for m in MODELS),
                param="model",
                code="model_not_found",
                provider=self.name,
            )
        text_ok, durations, sizes = MODELS[request.model]
        if not text_ok and request.input_reference is None:
            raise InvalidRequest(
                f"runway/{request.model} makes video from an image: send input_reference",
                param="input_reference",
                provider=self.name,
            )
        seconds = request.seconds or durations[len(durations) // 2]
        size = request.size or sizes[0]
        check_choice(self.name, "seconds", seconds, durations, request.model)
        check_choice(self.name, "size", size, sizes, request.model)
        params = {"seed": request.seed} if request.seed is not None else {}
        return PreparedJob(model=request.model, seconds=seconds, size=size, params=params)

    async def submit(
        self, job: JobRecord, source: JobRecord | None = None, image: ImageInput | None = None
    ) -> Submitted:
        body: dict = {
            "model": job.model,
            "promptText": job.prompt,
            "ratio": job.size.replace("x", ":"),
            "duration": job.seconds,
        }
        if job.params.get("seed") is not None:
            body["seed"] = job.params["seed"]
        path = "/v1/text_to_video"
        if image is not None:
            body["promptImage"] = image.data_url()
            path = "/v1/image_to_video"
        task = await self.client.create(path, json=body)
        if not isinstance(task.get("id"), str):
            raise UpstreamError(self.name, "the task was created without an id", status=502)
        return Submitted(upstream_id=task["id"])

    async def advance(self, job: JobRecord, ctx: JobContext) -> Outcome:
        task = await self.client.json("GET", f"/v1/tasks/{job.upstream_id}")
        status = task.get("status")
        if status == "SUCCEEDED":
            outputs = task.get("output") or []
            if not outputs:
                return Failed("no_output", "the task succeeded without an output")
            return await self.fetch_video(outputs[0], ctx)
        if status in ("FAILED", "CANCELLED"):
            code = task.get("failureCode") or ("cancelled" if status == "CANCELLED" else "provider_failed")
            return Failed(str(code), str(task.get("failure") or f"the task was {status.lower()}"))
        if status not in STATUS:
            raise UpstreamError(self.name, f"unknown task status {status!r}", status=502, retryable=True)
        progress = task.get("progress")
        percent = float(progress) * 100 if isinstance(progress, int | float) else None
        return Pending(STATUS[status], percent, self.poll_interval)

    async def cancel(self, job: JobRecord) -> None:
        if not job.upstream_id:
            return
        try:
            await self.client.request("DELETE", f"/v1/tasks/{job.upstream_id}")
        except UpstreamError as exc:
            if exc.status != 404:
                raise
