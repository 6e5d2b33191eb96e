"""`runway`: Runway's API (api.dev.runwayml.com, version 2024-11-06), which serves Runway's own Gen-4
models and, through the same task API, Google's, Kling's, MiniMax's, ByteDance's, Alibaba's and xAI's.

A job is a task created on `/v1/text_to_video`, or on `/v1/image_to_video` when an image was given,
polled at `/v1/tasks/{id}` and deleted there (which also cancels it). What each model takes comes
from the catalog (`vidgate/catalog/models.yaml`, the `runway:` block): its durations, its sizes, its
audio, and under `upstream` which endpoints it has, how a size becomes Runway's `ratio` (a pixel
size `1280:720`, an aspect ratio, or `auto_720p`) and `resolution`, and which of `seed` and
`negativePrompt` it takes. A value a model cannot take is a 400 listing the allowed ones, before
anything is sent.

Edits go to `/v1/video_to_video` for the models whose catalog entry has `operations: [edit]` (and
`upstream: video_to_video`), e.g. aleph2: the source (an upload, or the file the gateway keeps of a
job) as a base64 data URI, which Runway takes up to 5 MB; the task is polled like any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ..catalog import ModelSpec
from ..config import ProviderSettings
from ..domain import ImageInput, InvalidRequest, JobRecord, JobStatus
from ..upstream import UpstreamError
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
    SourceVideo,
    Submitted,
)
from .checks import check_request

API_VERSION = "2024-11-06"
TEXT, IMAGE = "text_to_video", "image_to_video"
EDIT = "video_to_video"
MAX_DATA_URI = 5 * 1024 * 1024  # what Runway takes as a base64 data URI
STATUS = {"PENDING": JobStatus.QUEUED, "THROTTLED": JobStatus.QUEUED, "RUNNING": JobStatus.IN_PROGRESS}
# Our optional request fields -> Runway's names (a model takes those its catalog entry lists).
FIELDS = {"seed": "seed", "negative_prompt": "negativePrompt"}


@dataclass(frozen=True)
class Endpoint:
    """One of a model's create endpoints, as its catalog entry describes it."""

    name: str
    sizes: tuple[str, ...]
    ratio: str | dict[str, str] | None  # "pixels", size -> value, or None (no ratio is sent)
    resolution: dict[str, str] | None  # size -> value, or None

    @property
    def path(self) -> str:
        return f"/v1/{self.name}"

    @property
    def takes_size(self) -> bool:
        """False where the video simply follows the image (nothing of a size is sent)."""
        return self.ratio is not None or self.resolution is not None

    def size_fields(self, size: str) -> dict[str, str]:
        fields = {}
        if self.ratio == "pixels":
            fields["ratio"] = size.replace("x", ":")
        elif isinstance(self.ratio, dict):
            fields["ratio"] = self.ratio[size]
        if self.resolution is not None:
            fields["resolution"] = self.resolution[size]
        return fields


def _by_size(table: Any) -> dict[str, str] | None:
    """`{value: [sizes]}` -> `{size: value}`."""
    if not isinstance(table, dict):
        return None
    return {size: str(value) for value, sizes in table.items() for size in sizes}


def endpoints(spec: ModelSpec) -> dict[str, Endpoint]:
    """The model's create endpoints: which of text and image to video it has, and their sizes."""
    found = {}
    for name in (TEXT, IMAGE):
        raw = spec.upstream.get(name)
        if raw is None:
            continue
        ratio = raw.get("ratio")
        found[name] = Endpoint(
            name=name,
            sizes=tuple(raw.get("sizes") or spec.sizes or ()),
            ratio="pixels" if ratio == "pixels" else _by_size(ratio),
            resolution=_by_size(raw.get("resolution")),
        )
    return found


def takes(spec: ModelSpec) -> frozenset[str]:
    """Runway's names of the optional fields the model takes (besides audio)."""
    return frozenset(spec.upstream.get("fields") or ())


def request_body(
    spec: ModelSpec,
    *,
    prompt: str,
    seconds: int,
    size: str,
    params: dict[str, Any],
    image_url: str | None = None,
) -> tuple[str, dict[str, Any]]:
    """The path and JSON body of the create call for an accepted job."""
    endpoint = endpoints(spec)[IMAGE if image_url is not None else TEXT]
    body: dict[str, Any] = {"model": spec.name, "promptText": prompt, "duration": seconds}
    body |= endpoint.size_fields(size) if endpoint.takes_size else {}
    for ours, theirs in FIELDS.items():
        if params.get(ours) is not None:
            body[theirs] = params[ours]
    if params.get("audio") is not None:
        body["audio"] = params["audio"]
    if image_url is not None:
        body["promptImage"] = image_url
    return endpoint.path, body


class RunwayVideos(RemoteProvider):
    name = "runway"
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {
            Capability.CREATE,
            Capability.RETRIEVE,
            Capability.DOWNLOAD,
            Capability.LIST,
            Capability.DELETE,
            Capability.EDIT,
        }
    )

    default_base_url = "https://api.dev.runwayml.com"

    def auth_headers(self, settings: ProviderSettings) -> dict[str, str]:
        return {**super().auth_headers(settings), "X-Runway-Version": API_VERSION}

    def spec(self, model: str) -> ModelSpec:
        spec = self.model_spec(model)
        assert spec is not None  # runway's models are a closed list: an unknown one was refused
        return spec

    def prepare(self, request: GenerationRequest) -> PreparedJob:
        spec = self.spec(request.model)
        for ours, theirs in FIELDS.items():
            if getattr(request, ours) is not None and theirs not in takes(spec):
                raise InvalidRequest(
                    f"{spec.id} does not take {ours}",
                    param=ours,
                    code="unsupported_parameter",
                    provider=self.name,
                )
        found = endpoints(spec)
        if not found and EDIT in spec.upstream:
            raise InvalidRequest(
                f"{spec.id} edits videos only: POST /v1/videos/edits with model {spec.id}",
                param="model",
                code="unsupported_operation",
                provider=self.name,
            )
        if not found:  # an operator's catalog entry without `upstream`
            raise InvalidRequest(
                f"{spec.id} names no Runway endpoint in the catalog (upstream: text_to_video or "
                "image_to_video): the operator must add one",
                param="model",
                provider=self.name,
            )
        seconds, size = check_request(self.name, spec, request)
        with_image = request.input_reference is not None
        endpoint = found.get(IMAGE if with_image else TEXT)
        if endpoint is None:
            if with_image:
                raise InvalidRequest(
                    f"{spec.id} takes no reference image", param="input_reference", provider=self.name
                )
            raise InvalidRequest(
                f"{spec.id} makes video from an image only: send input_reference",
                param="input_reference",
                code="image_required",
                provider=self.name,
            )
        if not endpoint.takes_size:
            if request.size is not None:
                raise InvalidRequest(
                    f"{spec.id} with an input_reference makes a video that follows the image; it takes no "
                    "size: send none",
                    param="size",
                    code="invalid_size",
                    provider=self.name,
                )
        elif size not in endpoint.sizes:
            way = "with an input_reference" if with_image else "without an input_reference"
            raise InvalidRequest(
                f"{spec.id} does not take size {size} {way}; allowed: " + ", ".join(endpoint.sizes),
                param="size",
                code="invalid_size",
                provider=self.name,
            )
        params = {
            "seed": request.seed,
            "negative_prompt": request.negative_prompt,
            "audio": request.audio if spec.audio == "optional" else None,
        }
        params = {k: v for k, v in params.items() if v is not None}
        return PreparedJob(model=request.model, seconds=seconds, size=size, params=params)

    async def submit(
        self, job: JobRecord, source: JobRecord | None = None, image: ImageInput | None = None
    ) -> Submitted:
        path, body = request_body(
            self.spec(job.model),
            prompt=job.prompt,
            seconds=job.seconds,
            size=job.size,
            params=job.params,
            image_url=image.data_url() if image is not None else None,
        )
        task = await self.client.create(path, json=body)
        return Submitted(upstream_id=required_id(self.name, task, "id", what="the task"))

    def prepare_edit(self, source: SourceVideo, model: str, prompt: str) -> PreparedJob:
        spec = self.spec(model)
        if EDIT not in spec.upstream:  # the service checked `operations`; the entry must say how
            raise InvalidRequest(
                f"{spec.id} names no Runway edit endpoint in the catalog (upstream: video_to_video)",
                param="model",
                code="unsupported_operation",
                provider=self.name,
            )
        assert source.upload is not None  # the service hands remote providers the bytes
        if len(source.upload.data) * 4 // 3 + 64 > MAX_DATA_URI:
            raise InvalidRequest(
                f"the source video is {len(source.upload.data)} bytes; Runway takes a video sent inline "
                f"up to {MAX_DATA_URI // (1024 * 1024)} MB as base64: send a shorter or smaller one",
                param="video",
                code="video_too_large",
                provider=self.name,
            )
        return PreparedJob(model=model, seconds=source.seconds, size=source.upload.size, params={})

    async def submit_operation(self, job: JobRecord, source: SourceVideo) -> Submitted:
        assert source.upload is not None
        body = {"model": job.model, "videoUri": source.upload.data_url(), "promptText": job.prompt}
        task = await self.client.create(f"/v1/{EDIT}", json=body)
        return Submitted(upstream_id=required_id(self.name, task, "id", what="the task"))

    async def advance(self, job: JobRecord, ctx: JobContext) -> Outcome:
        task = await self.client.json("GET", f"/v1/tasks/{job.upstream_id}")
        status = task.get("status")
        if status == "SUCCEEDED":
            outputs = task.get("output") or []
            if not outputs or not isinstance(outputs[0], str):
                return Failed("no_output", "the task succeeded without an output")
            return await self.fetch_video(outputs[0], ctx)
        if status == "FAILED":
            return Failed(
                str(task.get("failureCode") or "provider_failed"),
                str(task.get("failure") or "the task failed"),
            )
        if status == "CANCELLED":
            return Failed("cancelled", "the task was cancelled or deleted at Runway")
        progress = task.get("progress")
        percent = max(0.0, min(100.0, float(progress) * 100)) if isinstance(progress, int | float) else None
        return Pending(pending_status(self.name, status, STATUS), percent, self.poll_interval)

    async def cancel(self, job: JobRecord) -> None:
        """DELETE /v1/tasks/{id} cancels a running task and deletes a finished one (204 either way)."""
        if not job.upstream_id:
            return
        try:
            await self.client.request("DELETE", f"/v1/tasks/{job.upstream_id}")
        except UpstreamError as exc:
            gone_is_fine(exc)
