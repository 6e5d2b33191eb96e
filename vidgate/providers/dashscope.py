"""`dashscope`: Alibaba Cloud Model Studio (DashScope), Wan video synthesis.

One asynchronous task API for every Wan model: create a task (`X-DashScope-Async: enable`), poll
`/tasks/{id}`, download `output.video_url` (a presigned OSS URL, fetched without the key), cancel a
task while it is still queued. BASE_URL picks the region: Singapore by default, Beijing
(`https://dashscope.aliyuncs.com/api/v1`), Virginia (`https://dashscope-us.aliyuncs.com/api/v1`) or a
workspace host (`https://{WorkspaceId}.{region}.maas.aliyuncs.com/api/v1`); the key must be of the
same region.

Two request shapes, chosen by the model's family:
- wan2.2 to wan2.6 ("legacy protocol"): text-to-video takes `parameters.size` as `W*H`;
  image-to-video takes `input.img_url` and `parameters.resolution` (the video keeps the image's
  aspect ratio, so the size only names the resolution tier).
- wan2.7 (the new protocol): `parameters.resolution` and `parameters.ratio`; image-to-video takes
  the image as `input.media: [{type: first_frame, url}]`.
A failed task is an HTTP 200 with `output.code` and `output.message`; errors are
`{request_id, code, message}` with the HTTP status; 429 `Throttling.*` is retried by the client.
"""

from __future__ import annotations

import json
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
from .checks import check_request

CREATE_PATH = "/services/aigc/video-generation/video-synthesis"
STATUS = {"PENDING": JobStatus.QUEUED, "RUNNING": JobStatus.IN_PROGRESS}
SEED_MAX = 2147483647  # DashScope's seed range is [0, 2^31 - 1]

# DashScope's size vocabulary: `WxH` -> (resolution tier, ratio). Which sizes a model takes is the
# catalog's business; this is how each one is said on the wire.
WAN_SIZES: dict[str, tuple[str, str]] = {
    "832x480": ("480P", "16:9"),
    "480x832": ("480P", "9:16"),
    "624x624": ("480P", "1:1"),
    "1280x720": ("720P", "16:9"),
    "720x1280": ("720P", "9:16"),
    "960x960": ("720P", "1:1"),
    "1088x832": ("720P", "4:3"),
    "832x1088": ("720P", "3:4"),
    "1920x1080": ("1080P", "16:9"),
    "1080x1920": ("1080P", "9:16"),
    "1440x1440": ("1080P", "1:1"),
    "1632x1248": ("1080P", "4:3"),
    "1248x1632": ("1080P", "3:4"),
}


def image_to_video(model: str) -> bool:
    """Wan's image-to-video models say so in their names (`wan2.6-i2v`, `wan2.7-i2v-2026-04-25`)."""
    return "-i2v" in model


def media_protocol(model: str) -> bool:
    """wan2.7 speaks the new protocol: resolution + ratio, and images as typed `media` items."""
    return model.startswith("wan2.7")


def dashscope_error(response: httpx.Response) -> str:
    """`{"request_id", "code", "message"}` as `Code: message (request_id ...)`."""
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        body = None
    if not isinstance(body, dict) or not (body.get("code") or body.get("message")):
        return default_error_message(response)
    return answer_error_text(body)


def answer_error_text(body: dict[str, Any]) -> str:
    code, message = body.get("code"), body.get("message") or body.get("msg")
    text = f"{code}: {message}" if code and message else str(code or message)
    return text + (f" (request_id {body['request_id']})" if body.get("request_id") else "")


class DashScopeVideos(RemoteProvider):
    name = "dashscope"
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {Capability.CREATE, Capability.RETRIEVE, Capability.DOWNLOAD, Capability.LIST, Capability.DELETE}
    )

    default_base_url = "https://dashscope-intl.aliyuncs.com/api/v1"

    def __init__(self, settings: ProviderSettings) -> None:
        super().__init__(settings)
        self.client.error_message = dashscope_error

    def prepare(self, request: GenerationRequest) -> PreparedJob:
        spec = self.model_spec(request.model)
        assert spec is not None  # the catalog is closed: an unknown model was refused above
        seconds, size = check_request(self.name, spec, request)
        model = request.model
        if image_to_video(model) and request.input_reference is None:
            raise InvalidRequest(
                f"{spec.id} makes video from an image: send input_reference",
                param="input_reference",
                provider=self.name,
            )
        if (image_to_video(model) or media_protocol(model)) and size not in WAN_SIZES:
            raise InvalidRequest(
                f"{spec.id} takes sizes DashScope names by resolution tier; allowed: "
                + ", ".join(s for s in spec.sizes or WAN_SIZES if s in WAN_SIZES),
                param="size",
                code="invalid_size",
                provider=self.name,
            )
        if request.seed is not None and not 0 <= request.seed <= SEED_MAX:
            raise InvalidRequest(
                f"{spec.id} does not take seed {request.seed}; allowed: 0 to {SEED_MAX}",
                param="seed",
                code="invalid_seed",
                provider=self.name,
            )
        params: dict[str, Any] = {"negative_prompt": request.negative_prompt, "seed": request.seed}
        if spec.audio == "optional":  # only where the model has a switch, which is on by default
            params["audio"] = True if request.audio is None else request.audio
        return PreparedJob(
            model=model,
            seconds=seconds,
            size=size,
            params={k: v for k, v in params.items() if v is not None},
        )

    def body(self, job: JobRecord, image: ImageInput | None) -> dict[str, Any]:
        """The create request, in the shape of the model's family."""
        model = job.model
        inputs: dict[str, Any] = {"prompt": job.prompt}
        if job.params.get("negative_prompt"):
            inputs["negative_prompt"] = job.params["negative_prompt"]
        parameters: dict[str, Any] = {}
        if image_to_video(model):
            if image is None:
                raise UpstreamError(self.name, f"{model} needs the reference image", status=400)
            if media_protocol(model):
                inputs["media"] = [{"type": "first_frame", "url": image.data_url()}]
            else:
                inputs["img_url"] = image.data_url()
            parameters["resolution"] = WAN_SIZES[job.size][0]
        elif media_protocol(model):
            parameters["resolution"], parameters["ratio"] = WAN_SIZES[job.size]
        else:
            parameters["size"] = job.size.replace("x", "*")
        parameters["duration"] = job.seconds
        if job.params.get("seed") is not None:
            parameters["seed"] = job.params["seed"]
        if job.params.get("audio") is not None:
            parameters["audio"] = job.params["audio"]
        return {"model": model, "input": inputs, "parameters": parameters}

    async def submit(
        self, job: JobRecord, source: JobRecord | None = None, image: ImageInput | None = None
    ) -> Submitted:
        answer = await self.client.create(
            CREATE_PATH, json=self.body(job, image), headers={"X-DashScope-Async": "enable"}
        )
        return Submitted(upstream_id=required_id(self.name, answer, "output", "task_id", what="the task"))

    async def advance(self, job: JobRecord, ctx: JobContext) -> Outcome:
        answer = await self.client.json("GET", f"/tasks/{job.upstream_id}")
        output = answer.get("output")
        if not isinstance(output, dict):
            message = answer_error_text(answer) if answer.get("code") else "the task answer has no output"
            raise UpstreamError(self.name, message, status=502, retryable=True)
        status = output.get("task_status")
        if status == "SUCCEEDED":
            url = output.get("video_url")
            if not isinstance(url, str) or not url:
                return Failed("no_output", "the task succeeded without a video_url")
            return await self.fetch_video(url, ctx)  # presigned OSS URL: no key
        if status == "FAILED":
            return Failed(
                str(output.get("code") or "provider_failed"), str(output.get("message") or "the task failed")
            )
        if status == "CANCELED":
            return Failed("cancelled", "the task was cancelled at DashScope")
        if status == "UNKNOWN":
            return Failed(
                "task_unknown", "DashScope does not know this task (task ids expire 24 hours after creation)"
            )
        return Pending(pending_status(self.name, status, STATUS), None, self.poll_interval)

    async def cancel(self, job: JobRecord) -> None:
        """Only a queued (PENDING) task can be cancelled; a running one finishes upstream while the
        gateway deletes its copy."""
        if not job.upstream_id or job.status != JobStatus.QUEUED:
            return
        try:
            await self.client.request("POST", f"/tasks/{job.upstream_id}/cancel")
        except UpstreamError as exc:  # 400: it started (or finished) since we last looked
            gone_is_fine(exc, (400, 404))
