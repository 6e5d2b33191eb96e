"""`ark`: BytePlus ModelArk (or Volcengine Ark, through BASE_URL): ByteDance's Seedance models as
content generation tasks, polled by id, cancelled or deleted by DELETE.

Every setting goes as a body field (`resolution`, `ratio`, `duration`, `seed`, `generate_audio`,
`watermark`), never as the legacy `--flags` appended to the prompt, so the prompt reaches the model
as the caller wrote it. Our `size` is one of the model's exact output sizes from the catalog; it is
sent as the `resolution` class and `ratio` that Ark renders at that size.
"""

from __future__ import annotations

import json
import math
from typing import Any, ClassVar

import httpx

from ..config import ProviderSettings
from ..domain import ImageInput, InvalidRequest, JobRecord, JobStatus
from ..upstream import UpstreamError
from ..upstream.client import default_error_message
from .answers import gone_is_fine, pending_status, required_id
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
from .checks import check_request, parse_size, refuse_unsupported

TASKS = "/contents/generations/tasks"
STATUS = {"queued": JobStatus.QUEUED, "running": JobStatus.IN_PROGRESS}
ENDED = {  # finished without a video: our code when Ark's answer carries none
    "failed": ("provider_failed", "the task failed"),
    "cancelled": ("cancelled", "the task was cancelled upstream"),
    "expired": ("expired", "the task was not finished within its execution_expires_after and expired"),
}
# Ark's aspect ratios, and its resolution classes by the pixel area they render at (16:9). Every
# size a Seedance model renders is within 2% of one of these ratios and 5% of one of these areas.
RATIOS = {"16:9": 16 / 9, "4:3": 4 / 3, "1:1": 1.0, "3:4": 3 / 4, "9:16": 9 / 16, "21:9": 21 / 9}
RESOLUTIONS = {"480p": 864 * 480, "720p": 1280 * 720, "1080p": 1920 * 1080, "4k": 3840 * 2160}
RATIO_TOLERANCE, AREA_TOLERANCE = math.log(1.03), math.log(1.25)
# DELETE of a running task (it cannot be cancelled) or of one already cancelled is refused with a
# 4xx; one already deleted or never known is a 404. Either way there is nothing left to stop.
NOTHING_TO_CANCEL = (400, 404, 409)


def seedance_shape(size: str) -> tuple[str, str]:
    """`1280x720` -> (`720p`, `16:9`): the resolution class and ratio Ark renders at that size."""
    width, height = parse_size(size)
    ratio = min(RATIOS, key=lambda r: abs(math.log(width / height / RATIOS[r])))
    resolution = min(RESOLUTIONS, key=lambda r: abs(math.log(width * height / RESOLUTIONS[r])))
    if (
        abs(math.log(width / height / RATIOS[ratio])) > RATIO_TOLERANCE
        or abs(math.log(width * height / RESOLUTIONS[resolution])) > AREA_TOLERANCE
    ):
        raise InvalidRequest(
            f"size {size} is no Seedance output size: ark renders the ratios {', '.join(RATIOS)} "
            f"at {', '.join(RESOLUTIONS)}",
            param="size",
            code="invalid_size",
            provider="ark",
        )
    return resolution, ratio


def ark_error_message(response: httpx.Response) -> str:
    """`{"error": {"code", "message", "param", "type"}}` as `code: message`; other bodies as usual."""
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        body = None
    err = body.get("error") if isinstance(body, dict) else None
    if isinstance(err, dict) and err.get("code") and err.get("message"):
        return f"{err['code']}: {err['message']}"
    return default_error_message(response)


class ArkVideos(RemoteProvider):
    name = "ark"
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {Capability.CREATE, Capability.RETRIEVE, Capability.DOWNLOAD, Capability.LIST, Capability.DELETE}
    )
    default_base_url = "https://ark.ap-southeast.bytepluses.com/api/v3"

    def __init__(self, settings: ProviderSettings) -> None:
        super().__init__(settings)
        self.client.error_message = ark_error_message

    def auth_headers(self, settings: ProviderSettings) -> dict[str, str]:
        return {**super().auth_headers(settings), "Accept": "application/json"}

    def prepare(self, request: GenerationRequest) -> PreparedJob:
        refuse_unsupported(self.name, request, ("negative_prompt", "video_uri"))
        spec = self.model_spec(request.model)
        if spec is not None:
            seconds, size = check_request(self.name, spec, request)
            audio = None  # the silent models take no generate_audio
            if spec.audio != "never":  # unset: Ark's default (true), sent so that it is on record
                audio = True if request.audio is None else request.audio
        else:  # a model the operator opened the catalog to: only Ark can say what it takes
            seconds, size, audio = request.seconds or 5, request.size or "1280x720", request.audio
        seedance_shape(size)
        params = {"seed": request.seed, "audio": audio}
        return PreparedJob(
            model=request.model,
            seconds=seconds,
            size=size,
            params={k: v for k, v in params.items() if v is not None},
        )

    def task_body(self, job: JobRecord, image: ImageInput | None) -> dict[str, Any]:
        content: list[dict[str, Any]] = [{"type": "text", "text": job.prompt}]
        if image is not None:
            content.append(
                {"type": "image_url", "image_url": {"url": image.data_url()}, "role": "first_frame"}
            )
        resolution, ratio = seedance_shape(job.size)
        body: dict[str, Any] = {
            "model": job.model,
            "content": content,
            "resolution": resolution,
            "ratio": ratio,
            "duration": job.seconds,
            "watermark": False,
        }
        if job.params.get("seed") is not None:
            body["seed"] = job.params["seed"]
        if job.params.get("audio") is not None:
            body["generate_audio"] = job.params["audio"]
        return body

    async def submit(
        self, job: JobRecord, source: JobRecord | None = None, image: ImageInput | None = None
    ) -> Submitted:
        task = await self.client.create(TASKS, json=self.task_body(job, image))
        if isinstance(task.get("error"), dict):  # a refusal that came back as a 200
            err = task["error"]
            raise UpstreamError(self.name, f"{err.get('code')}: {err.get('message')}", status=502)
        return Submitted(upstream_id=required_id(self.name, task, "id", what="the task"))

    async def advance(self, job: JobRecord, ctx: JobContext) -> Outcome:
        task = await self.client.json("GET", f"{TASKS}/{job.upstream_id}")
        status = task.get("status")
        if status == "succeeded":
            url = (task.get("content") or {}).get("video_url")
            if not isinstance(url, str) or not url:
                return Failed("no_output", "the task succeeded without content.video_url")
            return await self.fetch_video(url, ctx)  # a presigned object URL: no key sent
        if status in ENDED:
            err = task.get("error") or {}
            code, message = ENDED[status]
            return Failed(str(err.get("code") or code), str(err.get("message") or message))
        return Pending(pending_status(self.name, status, STATUS), None, self.poll_interval)

    async def cancel(self, job: JobRecord) -> None:
        """A queued task is cancelled, a finished one deleted; a running one cannot be stopped, so
        Ark refuses, and the gateway deletes its own copy all the same."""
        if not job.upstream_id:
            return
        try:
            await self.client.request("DELETE", f"{TASKS}/{job.upstream_id}", json={})
        except UpstreamError as exc:
            gone_is_fine(exc, NOTHING_TO_CANCEL)
