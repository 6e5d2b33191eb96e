"""`gemini` and `vertex`: Google's Veo, as a long-running operation on either API.

Both take the same `instances`/`parameters` body; they differ in auth, paths, how the operation is
polled and how the video comes back (a file URI to download, inline base64, or a GCS object).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote

from ..config import ProviderSettings
from ..domain import ImageInput, InvalidRequest, JobRecord, JobStatus
from ..upstream import UpstreamClient, UpstreamError
from .base import (
    Capability,
    Completed,
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

# size -> (aspectRatio, resolution)
VEO_SIZES = {
    "1280x720": ("16:9", "720p"),
    "720x1280": ("9:16", "720p"),
    "1920x1080": ("16:9", "1080p"),
    "1080x1920": ("9:16", "1080p"),
}


def veo_seconds(model: str) -> tuple[int, ...]:
    return (5, 6, 7, 8) if model.startswith("veo-2") else (4, 6, 8)


def veo_body(
    job: JobRecord,
    image: ImageInput | None,
    extra_instance: dict[str, Any] | None = None,
    extra_parameters: dict[str, Any] | None = None,
) -> dict[str, Any]:
    aspect, resolution = VEO_SIZES[job.size]
    instance: dict[str, Any] = {"prompt": job.prompt}
    if image is not None:
        instance["image"] = {"bytesBase64Encoded": image.base64(), "mimeType": image.mime_type}
    parameters: dict[str, Any] = {
        "sampleCount": 1,
        "durationSeconds": job.seconds,
        "aspectRatio": aspect,
        "resolution": resolution,
    }
    if job.params.get("negative_prompt"):
        parameters["negativePrompt"] = job.params["negative_prompt"]
    if job.params.get("seed") is not None:
        parameters["seed"] = job.params["seed"]
    return {
        "instances": [instance | (extra_instance or {})],
        "parameters": parameters | (extra_parameters or {}),
    }


def filtered(response: dict[str, Any]) -> Failed | None:
    reasons = response.get("raiMediaFilteredReasons") or []
    if reasons or response.get("raiMediaFilteredCount"):
        return Failed(
            "content_filtered", "; ".join(map(str, reasons)) or "the video was filtered by safety checks"
        )
    return None


class GeminiVeo(RemoteProvider):
    name = "gemini"
    models: ClassVar[tuple[str, ...]] = (
        "veo-3.1-generate-preview",
        "veo-3.1-fast-generate-preview",
        "veo-3.0-generate-001",
    )
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {Capability.CREATE, Capability.RETRIEVE, Capability.DOWNLOAD, Capability.LIST}
    )

    default_base_url = "https://generativelanguage.googleapis.com"

    def auth_headers(self, settings: ProviderSettings) -> dict[str, str]:
        assert settings.api_key is not None
        return {"x-goog-api-key": settings.api_key.get_secret_value()}

    def prepare(self, request: GenerationRequest) -> PreparedJob:
        refuse_unsupported(self.name, request, ("video_uri",))
        model = request.model
        veo3 = not model.startswith("veo-2")
        if request.audio is not None and request.audio != veo3:
            raise InvalidRequest(
                f"{self.name}/{model} {'always' if veo3 else 'never'} generates audio",
                param="audio",
                provider=self.name,
            )
        seconds, size = request.seconds or 8, request.size or "1280x720"
        check_choice(self.name, "seconds", seconds, veo_seconds(model), model)
        check_choice(self.name, "size", size, tuple(VEO_SIZES), model)
        params = {"negative_prompt": request.negative_prompt, "seed": request.seed}
        return PreparedJob(
            model=model, seconds=seconds, size=size, params={k: v for k, v in params.items() if v is not None}
        )

    async def submit(
        self, job: JobRecord, source: JobRecord | None = None, image: ImageInput | None = None
    ) -> Submitted:
        body = await self.client.create(
            f"/v1beta/models/{job.model}:predictLongRunning", json=veo_body(job, image)
        )
        name = body.get("name")
        if not isinstance(name, str):
            raise UpstreamError(
                self.name, "predictLongRunning answered without an operation name", status=502
            )
        return Submitted(upstream_id=name)

    async def advance(self, job: JobRecord, ctx: JobContext) -> Outcome:
        op = await self.client.json("GET", f"/v1beta/{job.upstream_id}")
        if not op.get("done"):
            return Pending(JobStatus.IN_PROGRESS, None, self.poll_interval)
        if "error" in op:
            err = op["error"] or {}
            return Failed(
                str(err.get("status") or err.get("code") or "provider_failed"), str(err.get("message"))
            )
        response = (op.get("response") or {}).get("generateVideoResponse") or {}
        samples = response.get("generatedSamples") or []
        if not samples:
            return filtered(response) or Failed("no_output", "the operation finished without a video")
        # The file URI wants the key, and redirects to storage.
        return await self.fetch_video(samples[0]["video"]["uri"], ctx, authenticated=True)


class VertexVeo(RemoteProvider):
    name = "vertex"
    models: ClassVar[tuple[str, ...]] = (
        "veo-3.1-generate-001",
        "veo-3.1-fast-generate-001",
        "veo-3.0-generate-001",
    )
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {Capability.CREATE, Capability.RETRIEVE, Capability.DOWNLOAD, Capability.LIST}
    )
    required_settings: ClassVar[tuple[str, ...]] = ("api_key", "project", "location")

    def __init__(self, settings: ProviderSettings) -> None:
        super().__init__(settings)  # the API key is an OAuth access token, sent as a bearer
        self.storage = UpstreamClient(
            self.name,
            settings,
            auth_headers=self.auth_headers(settings),
            base_url=settings.storage_base_url or "https://storage.googleapis.com",
        )

    def base_url(self, settings: ProviderSettings) -> str:
        return settings.base_url or f"https://{settings.location}-aiplatform.googleapis.com"

    def model_path(self, model: str) -> str:
        s = self.settings
        return f"/v1/projects/{s.project}/locations/{s.location}/publishers/google/models/{model}"

    def prepare(self, request: GenerationRequest) -> PreparedJob:
        model = request.model
        seconds, size = request.seconds or 8, request.size or "1280x720"
        check_choice(self.name, "seconds", seconds, veo_seconds(model), model)
        check_choice(self.name, "size", size, tuple(VEO_SIZES), model)
        if request.video_uri is not None and not request.video_uri.startswith("gs://"):
            raise InvalidRequest(
                "vertex takes video_uri as a gs:// URI", param="video_uri", provider=self.name
            )
        params = {
            "negative_prompt": request.negative_prompt,
            "seed": request.seed,
            "audio": request.audio,
            "video_uri": request.video_uri,
        }
        return PreparedJob(
            model=model, seconds=seconds, size=size, params={k: v for k, v in params.items() if v is not None}
        )

    async def submit(
        self, job: JobRecord, source: JobRecord | None = None, image: ImageInput | None = None
    ) -> Submitted:
        extra_instance = {}
        if job.params.get("video_uri"):
            extra_instance["video"] = {"gcsUri": job.params["video_uri"], "mimeType": "video/mp4"}
        extra_parameters = {}
        if job.params.get("audio") is not None:
            extra_parameters["generateAudio"] = job.params["audio"]
        body = await self.client.create(
            f"{self.model_path(job.model)}:predictLongRunning",
            json=veo_body(job, image, extra_instance, extra_parameters),
        )
        name = body.get("name")
        if not isinstance(name, str):
            raise UpstreamError(
                self.name, "predictLongRunning answered without an operation name", status=502
            )
        return Submitted(upstream_id=name)

    async def advance(self, job: JobRecord, ctx: JobContext) -> Outcome:
        op = await self.client.json(
            "POST",
            f"{self.model_path(job.model)}:fetchPredictOperation",
            json={"operationName": job.upstream_id},
        )
        if not op.get("done"):
            return Pending(JobStatus.IN_PROGRESS, None, self.poll_interval)
        if "error" in op:
            err = op["error"] or {}
            return Failed(
                str(err.get("status") or err.get("code") or "provider_failed"), str(err.get("message"))
            )
        response = op.get("response") or {}
        videos = response.get("videos") or []
        if not videos:
            return filtered(response) or Failed("no_output", "the operation finished without a video")
        dest = ctx.staging_dir / "video.mp4"
        await self._save(videos[0], dest, ctx.max_asset_bytes)
        return Completed({"video": dest})

    async def _save(self, video: dict[str, Any], dest: Path, max_bytes: int) -> None:
        if video.get("bytesBase64Encoded"):
            try:
                data = base64.b64decode(video["bytesBase64Encoded"], validate=True)
            except (binascii.Error, ValueError) as exc:
                raise UpstreamError(self.name, "invalid base64 video", retryable=True) from exc
            await asyncio.to_thread(dest.write_bytes, data)
            return
        uri = str(video.get("gcsUri") or "")
        if not uri.startswith("gs://"):
            raise UpstreamError(self.name, "video has neither bytes nor a gs:// URI", status=502)
        bucket, _, obj = uri[5:].partition("/")
        await self.storage.download(
            f"/storage/v1/b/{bucket}/o/{quote(obj, safe='')}?alt=media", dest, max_bytes=max_bytes
        )

    async def aclose(self) -> None:
        await super().aclose()
        await self.storage.aclose()
