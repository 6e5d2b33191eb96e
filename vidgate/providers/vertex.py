"""`vertex`: Veo on Vertex AI (now "Gemini Enterprise Agent Platform"), as a long-running prediction.

    POST /v1/projects/{project}/locations/{location}/publishers/google/models/{model}:predictLongRunning
         {"instances": [{prompt, image?, video?}], "parameters": {sampleCount, durationSeconds,
          aspectRatio, resolution?, negativePrompt?, seed?, generateAudio?}}       -> {"name": operation}
    POST .../models/{model}:fetchPredictOperation {"operationName": name}        -> the operation

A finished operation holds `response.videos[]`, each inline (`bytesBase64Encoded`) or a GCS object
(`gcsUri`, read through the GCS JSON API with the same bearer), or `raiMediaFilteredCount/Reasons`
when safety filters took the video, or `error` ({code, message, status}). The API key is an OAuth
access token, sent as a bearer. What each model takes comes from the catalog (`vertex:`). The
official SDK (google-genai with `vertexai=True`, `HttpOptions(api_version="v1")`) sends the same
requests for the same values: see tests/sdk_oracles/test_vertex_oracle.py.

Extensions (Veo 3.1; the catalog's `operations: [extend]`, its `upstream.extend_seconds` the lengths
it adds) are the same request with the source as `instances[0].video` (its bytes: an upload, or the
file the gateway keeps of a job) and `durationSeconds` the new part; Veo answers with one video,
the source and its continuation.
"""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import quote

from ..catalog import resolution_tier
from ..config import ProviderSettings
from ..domain import ImageInput, InvalidRequest, JobRecord, JobStatus
from ..upstream import UpstreamClient, UpstreamError
from .answers import required_id
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
    SourceVideo,
    Submitted,
)
from .checks import aspect_ratio, check_request
from .inline import save_base64


def filtered(response: dict[str, Any]) -> Failed | None:
    """Veo's safety filters: the operation succeeds with a count and reasons instead of videos."""
    reasons = response.get("raiMediaFilteredReasons") or []
    if reasons or response.get("raiMediaFilteredCount"):
        return Failed(
            "content_filtered", "; ".join(map(str, reasons)) or "the video was filtered by safety checks"
        )
    return None


class VertexVeo(RemoteProvider):
    name = "vertex"
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {Capability.CREATE, Capability.RETRIEVE, Capability.DOWNLOAD, Capability.LIST, Capability.EXTEND}
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
        if settings.base_url:
            return settings.base_url
        host = "aiplatform.googleapis.com"
        return f"https://{host}" if settings.location == "global" else f"https://{settings.location}-{host}"

    def model_path(self, model: str) -> str:
        s = self.settings
        return f"/v1/projects/{s.project}/locations/{s.location}/publishers/google/models/{model}"

    def prepare(self, request: GenerationRequest) -> PreparedJob:
        spec = self.model_spec(request.model)
        assert spec is not None  # the catalog lists every model vertex has
        seconds, size = check_request(self.name, spec, request)
        if request.video_uri is not None and not request.video_uri.startswith("gs://"):
            raise InvalidRequest(
                "vertex takes video_uri as a gs:// URI", param="video_uri", provider=self.name
            )
        audio = request.audio
        if audio is None and spec.audio == "optional":
            audio = True  # said out loud: Veo 3 bills the soundtrack, so the job shows it was asked for
        params = {
            "negative_prompt": request.negative_prompt,
            "seed": request.seed,
            "audio": audio if spec.audio != "never" else None,
            "video_uri": request.video_uri,
        }
        return PreparedJob(
            model=request.model,
            seconds=seconds,
            size=size,
            params={k: v for k, v in params.items() if v is not None},
        )

    def prepare_extend(self, source: SourceVideo, model: str, prompt: str, seconds: int) -> PreparedJob:
        spec = self.model_spec(model)
        assert spec is not None
        lengths = tuple(spec.upstream.get("extend_seconds") or ())
        if seconds not in lengths:
            raise InvalidRequest(
                f"vertex/{model} extends a video by {', '.join(map(str, lengths))} seconds, not {seconds}",
                param="seconds",
                code="invalid_seconds",
                provider=self.name,
            )
        size = source.job.size if source.job is not None else source.upload.size if source.upload else ""
        if spec.sizes and size not in spec.sizes:
            raise InvalidRequest(
                f"the source video is {size}; vertex/{model} extends " + ", ".join(spec.sizes),
                param="video",
                code="invalid_size",
                provider=self.name,
            )
        params: dict[str, Any] = {"extension_seconds": seconds}
        if spec.audio == "optional":
            params["audio"] = True  # as on create: Veo 3 bills the soundtrack, said out loud
        return PreparedJob(
            model=model, seconds=source.seconds + seconds, size=size, params=params, billed_seconds=seconds
        )

    def body(self, job: JobRecord, image: ImageInput | None) -> dict[str, Any]:
        instance: dict[str, Any] = {"prompt": job.prompt}
        if image is not None:
            instance["image"] = {"bytesBase64Encoded": image.base64(), "mimeType": image.mime_type}
        if job.params.get("video_uri"):
            instance["video"] = {"gcsUri": job.params["video_uri"], "mimeType": "video/mp4"}
        parameters: dict[str, Any] = {
            "sampleCount": 1,
            "durationSeconds": job.seconds,
            "aspectRatio": aspect_ratio(job.size),
        }
        if not job.model.startswith("veo-2"):  # Veo 2 has no `resolution`: it makes 720p only
            parameters["resolution"] = resolution_tier(job.size)
        if job.params.get("negative_prompt"):
            parameters["negativePrompt"] = job.params["negative_prompt"]
        if job.params.get("seed") is not None:
            parameters["seed"] = job.params["seed"]
        if job.params.get("audio") is not None:
            parameters["generateAudio"] = job.params["audio"]
        return {"instances": [instance], "parameters": parameters}

    async def submit(
        self, job: JobRecord, source: JobRecord | None = None, image: ImageInput | None = None
    ) -> Submitted:
        answer = await self.client.create(
            f"{self.model_path(job.model)}:predictLongRunning", json=self.body(job, image)
        )
        return Submitted(upstream_id=required_id(self.name, answer, "name", what="the operation"))

    async def submit_operation(self, job: JobRecord, source: SourceVideo) -> Submitted:
        assert source.upload is not None  # the service hands remote providers the bytes
        body = self.body(job, None)
        body["instances"][0]["video"] = {
            "bytesBase64Encoded": source.upload.base64(),
            "mimeType": source.upload.mime_type,
        }
        body["parameters"]["durationSeconds"] = job.params["extension_seconds"]
        answer = await self.client.create(f"{self.model_path(job.model)}:predictLongRunning", json=body)
        return Submitted(upstream_id=required_id(self.name, answer, "name", what="the operation"))

    async def advance(self, job: JobRecord, ctx: JobContext) -> Outcome:
        op = await self.client.json(
            "POST",
            f"{self.model_path(job.model)}:fetchPredictOperation",
            json={"operationName": job.upstream_id},
        )
        if not op.get("done"):
            return Pending(JobStatus.IN_PROGRESS, None, self.poll_interval)
        if op.get("error"):
            err = op["error"]
            return Failed(
                str(err.get("status") or err.get("code") or "provider_failed"),
                str(err.get("message") or "the operation failed"),
            )
        response = op.get("response") or {}
        videos = [v for v in response.get("videos") or [] if isinstance(v, dict)]
        if not videos:
            return filtered(response) or Failed("no_output", "the operation finished without a video")
        dest = ctx.staging_dir / "video.mp4"
        video = videos[0]
        if video.get("bytesBase64Encoded"):
            await save_base64(self.name, video["bytesBase64Encoded"], dest, ctx.max_asset_bytes)
            return Completed({"video": dest})
        uri = str(video.get("gcsUri") or "")
        if not uri.startswith("gs://"):
            raise UpstreamError(self.name, "the video has neither bytes nor a gs:// URI", status=502)
        bucket, _, obj = uri[5:].partition("/")
        await self.storage.download(
            f"/storage/v1/b/{bucket}/o/{quote(obj, safe='')}?alt=media", dest, max_bytes=ctx.max_asset_bytes
        )
        return Completed({"video": dest})

    async def aclose(self) -> None:
        await super().aclose()
        await self.storage.aclose()
