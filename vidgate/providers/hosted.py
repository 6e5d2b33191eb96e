"""Model-hosting platforms whose video models each have their own input schema: `replicate`, `fal`.

The gateway passes through only what the caller set, under the names these platforms' video
models use (`prompt`, `duration`, `aspect_ratio`, `seed`, `negative_prompt`, `image`), and never
invents a value; the platform answers for the rest with its own 4xx message.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..config import ProviderSettings
from ..domain import ImageInput, JobRecord, JobStatus
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
from .checks import aspect_ratio, parse_size, refuse_unsupported

BASIC = frozenset(
    {Capability.CREATE, Capability.RETRIEVE, Capability.DOWNLOAD, Capability.LIST, Capability.DELETE}
)


def model_inputs(job: JobRecord, image: ImageInput | None) -> dict[str, Any]:
    inputs: dict[str, Any] = {"prompt": job.prompt}
    if job.params.get("seconds_set"):
        inputs["duration"] = job.seconds
    if job.params.get("size_set"):
        inputs["aspect_ratio"] = aspect_ratio(job.size)
    for ours, theirs in (("seed", "seed"), ("negative_prompt", "negative_prompt")):
        if job.params.get(ours) is not None:
            inputs[theirs] = job.params[ours]
    if image is not None:
        inputs["image"] = image.data_url()
    return inputs


def prepare_passthrough(provider: str, request: GenerationRequest) -> PreparedJob:
    refuse_unsupported(provider, request, ("video_uri", "audio"))
    if request.size is not None:
        parse_size(request.size)
    params = {
        "seconds_set": request.seconds is not None,
        "size_set": request.size is not None,
        "seed": request.seed,
        "negative_prompt": request.negative_prompt,
    }
    return PreparedJob(
        model=request.model,
        seconds=request.seconds or 5,
        size=request.size or "1280x720",
        params={k: v for k, v in params.items() if v is not None},
    )


def first_url(output: Any) -> str | None:
    if isinstance(output, str):
        return output
    if isinstance(output, list) and output and isinstance(output[0], str):
        return output[0]
    if isinstance(output, dict):
        for key in ("video", "url"):
            value = output.get(key)
            if isinstance(value, dict):
                value = value.get("url")
            if isinstance(value, str):
                return value
    return None


class ReplicateVideos(RemoteProvider):
    """Replicate predictions: `replicate/<owner>/<model>`."""

    name = "replicate"
    capabilities: ClassVar[frozenset[Capability]] = BASIC
    STATUS: ClassVar[dict[str, JobStatus]] = {
        "starting": JobStatus.QUEUED,
        "processing": JobStatus.IN_PROGRESS,
    }

    default_base_url = "https://api.replicate.com"

    def prepare(self, request: GenerationRequest) -> PreparedJob:
        return prepare_passthrough(self.name, request)

    async def submit(
        self, job: JobRecord, source: JobRecord | None = None, image: ImageInput | None = None
    ) -> Submitted:
        prediction = await self.client.create(
            f"/v1/models/{job.model}/predictions", json={"input": model_inputs(job, image)}
        )
        if not isinstance(prediction.get("id"), str):
            raise UpstreamError(self.name, "the prediction was created without an id", status=502)
        return Submitted(upstream_id=prediction["id"])

    async def advance(self, job: JobRecord, ctx: JobContext) -> Outcome:
        prediction = await self.client.json("GET", f"/v1/predictions/{job.upstream_id}")
        status = prediction.get("status")
        if status == "succeeded":
            url = first_url(prediction.get("output"))
            if url is None:
                return Failed("no_output", "the prediction succeeded without a video URL")
            return await self.fetch_video(url, ctx)
        if status in ("failed", "canceled"):
            return Failed(
                "provider_failed" if status == "failed" else "cancelled",
                str(prediction.get("error") or f"the prediction {status}"),
            )
        if status not in self.STATUS:
            raise UpstreamError(
                self.name, f"unknown prediction status {status!r}", status=502, retryable=True
            )
        return Pending(self.STATUS[status], None, self.poll_interval)

    async def cancel(self, job: JobRecord) -> None:
        if job.upstream_id:
            await self.client.request("POST", f"/v1/predictions/{job.upstream_id}/cancel")


class FalQueue(RemoteProvider):
    """fal's queue: `fal/<app>/<path>`; polled through the URLs the queue hands back."""

    name = "fal"
    capabilities: ClassVar[frozenset[Capability]] = BASIC
    STATUS: ClassVar[dict[str, JobStatus]] = {
        "IN_QUEUE": JobStatus.QUEUED,
        "IN_PROGRESS": JobStatus.IN_PROGRESS,
    }

    default_base_url = "https://queue.fal.run"

    def auth_headers(self, settings: ProviderSettings) -> dict[str, str]:
        assert settings.api_key is not None
        return {"Authorization": f"Key {settings.api_key.get_secret_value()}"}

    def prepare(self, request: GenerationRequest) -> PreparedJob:
        return prepare_passthrough(self.name, request)

    async def submit(
        self, job: JobRecord, source: JobRecord | None = None, image: ImageInput | None = None
    ) -> Submitted:
        inputs = model_inputs(job, image)
        if image is not None:
            inputs["image_url"] = inputs.pop("image")
        queued = await self.client.create(f"/{job.model}", json=inputs)
        urls = {k: queued.get(k) for k in ("status_url", "response_url", "cancel_url")}
        if not isinstance(queued.get("request_id"), str) or not all(
            isinstance(u, str) for u in urls.values()
        ):
            raise UpstreamError(self.name, "the queue answered without a request id and its URLs", status=502)
        return Submitted(upstream_id=queued["request_id"], state=urls)

    async def advance(self, job: JobRecord, ctx: JobContext) -> Outcome:
        urls = job.upstream or {}
        state = await self.client.json("GET", urls["status_url"])
        status = state.get("status")
        if status == "COMPLETED":
            try:
                result = await self.client.json("GET", urls["response_url"])
            except UpstreamError as exc:
                if exc.status is not None and 400 <= exc.status < 500:  # the model run itself failed
                    return Failed("provider_failed", exc.message)
                raise
            url = first_url(result)
            if url is None:
                return Failed("no_output", "the request completed without a video URL")
            return await self.fetch_video(url, ctx)
        if status not in self.STATUS:
            raise UpstreamError(self.name, f"unknown queue status {status!r}", status=502, retryable=True)
        return Pending(self.STATUS[status], None, self.poll_interval)

    async def cancel(self, job: JobRecord) -> None:
        url = (job.upstream or {}).get("cancel_url")
        if url:
            try:
                await self.client.request("PUT", url)
            except UpstreamError as exc:
                if exc.status not in (400, 404):  # already finished or gone
                    raise
