"""`openai`: the OpenAI Videos API (Sora 2); with another base URL, any OpenAI-compatible endpoint."""

from __future__ import annotations

from typing import Any, ClassVar

from ..config import ProviderSettings
from ..domain import ImageInput, InvalidRequest, JobRecord, JobStatus
from ..upstream import UpstreamError
from .base import (
    NOT_SUBMITTED,
    Capability,
    Completed,
    Failed,
    GenerationRequest,
    JobContext,
    NotSubmitted,
    Outcome,
    Pending,
    PreparedJob,
    RemoteProvider,
    Submitted,
)
from .checks import check_choice, refuse_unsupported

SORA_SECONDS = (4, 8, 12)
SORA_SIZES = ("720x1280", "1280x720", "1024x1792", "1792x1024")
VARIANT_FILES = {"video": "video.mp4", "thumbnail": "thumbnail.webp", "spritesheet": "spritesheet.jpg"}
STATUS = {"queued": JobStatus.QUEUED, "in_progress": JobStatus.IN_PROGRESS}


class OpenAIVideos(RemoteProvider):
    name = "openai"
    capabilities: ClassVar[frozenset[Capability]] = frozenset(Capability)
    models: ClassVar[tuple[str, ...]] = ("sora-2", "sora-2-pro")
    default_base_url = "https://api.openai.com"
    videos_path = "/v1/videos"

    def url(self, suffix: str = "") -> str:
        return self.videos_path + suffix

    def prepare(self, request: GenerationRequest) -> PreparedJob:
        refuse_unsupported(self.name, request, ("negative_prompt", "seed", "video_uri"))
        if request.audio is False:
            raise InvalidRequest(
                f"{self.name}/{request.model} always generates audio", param="audio", provider=self.name
            )
        seconds = request.seconds or 4
        size = request.size or "720x1280"
        if request.model.startswith("sora"):  # OpenAI's own models: say what they take
            check_choice(self.name, "seconds", seconds, SORA_SECONDS, request.model)
            check_choice(self.name, "size", size, SORA_SIZES, request.model)
        return PreparedJob(model=request.model, seconds=seconds, size=size)

    def prepare_remix(self, source: JobRecord, prompt: str) -> PreparedJob:
        return PreparedJob(model=source.model, seconds=source.seconds, size=source.size)

    async def submit(
        self, job: JobRecord, source: JobRecord | None = None, image: ImageInput | None = None
    ) -> Submitted:
        if source is not None:
            body = await self.client.create(
                self.url(f"/{source.upstream_id}/remix"), json={"prompt": job.prompt}
            )
        else:
            fields = {"model": job.model, "prompt": job.prompt, "seconds": str(job.seconds), "size": job.size}
            if image is None:
                body = await self.client.create(self.url(), json=fields)
            else:  # an image goes as a file part: the API takes it only as multipart
                files = {"input_reference": (image.filename, image.data, image.mime_type)}
                body = await self.client.create(self.url(), data=fields, files=files)
        if not isinstance(body.get("id"), str):
            raise UpstreamError(self.name, "create answered without a video id", status=502)
        return Submitted(upstream_id=body["id"])

    async def recover(self, job: JobRecord) -> Submitted | NotSubmitted | None:
        """Look the job up among the newest on the account: exactly one with our prompt and model.
        Pages back until past the job's creation; reaching it without a match proves it never
        arrived. Gives up (unknown) after ten pages."""
        window = job.created_at - 60
        matches: list[dict] = []
        params: dict[str, Any] = {"limit": 100, "order": "desc"}
        for _ in range(10):
            body = await self.client.json("GET", self.url(), params=params)
            data = [v for v in body.get("data") or [] if isinstance(v, dict)]
            matches += [
                v
                for v in data
                if v.get("prompt") == job.prompt
                and v.get("model") == job.model
                and int(v.get("created_at") or 0) >= window
            ]
            if not body.get("has_more") or not data or int(data[-1].get("created_at") or 0) < window:
                if len(matches) == 1:
                    return Submitted(upstream_id=matches[0]["id"])
                return NOT_SUBMITTED if not matches else None
            params["after"] = data[-1]["id"]
        return None

    async def advance(self, job: JobRecord, ctx: JobContext) -> Outcome:
        body, response = await self.client.json_response("GET", self.url(f"/{job.upstream_id}"))
        status = body.get("status")
        if status == "failed":
            err = body.get("error") or {}
            return Failed(
                str(err.get("code") or "provider_failed"), str(err.get("message") or "the job failed")
            )
        if status == "completed":
            return Completed(await self._fetch_assets(job, ctx))
        if status not in STATUS:
            raise UpstreamError(self.name, f"unknown job status {status!r}", status=502, retryable=True)
        hint = response.headers.get("openai-poll-after-ms")
        retry_in = float(hint) / 1000 if hint and hint.isdigit() else self.poll_interval
        progress = body.get("progress")
        return Pending(
            STATUS[status], float(progress) if isinstance(progress, int | float) else None, retry_in
        )

    async def _fetch_assets(self, job: JobRecord, ctx: JobContext) -> dict:
        files = {}
        for variant, filename in VARIANT_FILES.items():
            dest = ctx.staging_dir / filename
            try:
                await self.client.download(
                    self.url(f"/{job.upstream_id}/content?variant={variant}"),
                    dest,
                    max_bytes=ctx.max_asset_bytes,
                )
            except UpstreamError as exc:
                if variant == "video" or exc.status not in (400, 404):
                    raise
                continue  # no such variant upstream: the worker derives it from the video
            files[variant] = dest
        return files

    async def cancel(self, job: JobRecord) -> None:
        if not job.upstream_id:
            return
        try:
            await self.client.request("DELETE", self.url(f"/{job.upstream_id}"))
        except UpstreamError as exc:
            if exc.status != 404:  # already gone upstream is fine
                raise


class AzureVideos(OpenAIVideos):
    """Azure OpenAI Sora 2: the OpenAI surface under /openai/v1, `api-key` header, deployment names."""

    name = "azure"
    capabilities: ClassVar[frozenset[Capability]] = frozenset(Capability) - {Capability.REMIX}
    required_settings: ClassVar[tuple[str, ...]] = ("api_key", "base_url")
    videos_path = "/openai/v1/videos"
    models: ClassVar[tuple[str, ...]] = ()  # deployment names are the operator's

    def auth_headers(self, settings: ProviderSettings) -> dict[str, str]:
        assert settings.api_key is not None
        return {"api-key": settings.api_key.get_secret_value()}

    def __init__(self, settings: ProviderSettings) -> None:
        super().__init__(settings)
        if settings.api_version:
            self.client.http.params = {"api-version": settings.api_version}

    def prepare(self, request: GenerationRequest) -> PreparedJob:
        # The model is the deployment's name; a Sora 2 deployment takes Sora's values.
        refuse_unsupported(self.name, request, ("negative_prompt", "seed", "video_uri"))
        seconds, size = request.seconds or 4, request.size or "720x1280"
        check_choice(self.name, "seconds", seconds, SORA_SECONDS, request.model)
        check_choice(self.name, "size", size, SORA_SIZES, request.model)
        return PreparedJob(model=request.model, seconds=seconds, size=size)
