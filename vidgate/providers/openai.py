"""`openai`: any OpenAI-compatible `/v1/videos` endpoint; `azure`: Azure OpenAI's copy of it.

OpenAI's own Sora API shut down on 2026-09-24; the `/v1/videos` wire format lives on at
OpenAI-compatible endpoints (LiteLLM, Bifrost, resellers, self-hosted servers), so `openai` has no
default URL: BASE_URL names the endpoint, as the `openai` SDK's `base_url` would (`.../v1`) or by its
root. `azure` is Azure OpenAI's v1 API (`https://<resource>.openai.azure.com[/openai/v1]`), with the
`api-key` header, an optional `api-version` query and deployment names as models.

What goes on the wire is what the official `openai` SDK sends for the same call (the oracle in
tests/sdk_oracles/test_openai_oracle.py holds it):
- create is multipart/form-data, with or without an image: the only form the SDK ever sends, so
  the one every server built against it takes (the published spec also allows JSON);
- a model the catalog lists is checked against it and sent with its seconds and size (the
  catalog's defaults filled in); a model it does not list (the catalog is open) gets only what the
  caller set, and the server's defaults decide the rest;
- the video is downloaded without `variant` (the default), every download asking for
  `Accept: application/binary`; JSON calls ask for `application/json`.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any, ClassVar
from urllib.parse import urlencode

import httpx
import structlog

from ..catalog import ModelSpec
from ..config import ProviderSettings
from ..domain import ImageInput, InvalidRequest, JobRecord, JobStatus
from ..upstream import UpstreamError
from ..upstream.client import retry_after_seconds
from .answers import gone_is_fine, pending_status, required_id
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
from .checks import check_request, parse_size, refuse_unsupported

log = structlog.get_logger("vidgate.providers.openai")

# What the job shows for a value the caller left to an unlisted model's server (the API's documented
# defaults); it is not sent.
DEFAULT_SECONDS, DEFAULT_SIZE = 4, "720x1280"
VARIANT_FILES = {"video": "video.mp4", "thumbnail": "thumbnail.webp", "spritesheet": "spritesheet.jpg"}
STATUS = {"queued": JobStatus.QUEUED, "in_progress": JobStatus.IN_PROGRESS}
JSON_ACCEPT = {"Accept": "application/json"}
BINARY_ACCEPT = {"Accept": "application/binary"}  # what the SDK's download_content asks for
# Not forwarded (yet) to an OpenAI-compatible endpoint: its edits, extensions and characters.
_NOT_FORWARDED = frozenset({Capability.EDIT, Capability.EXTEND, Capability.CHARACTERS})


class _FormOnly(dict):
    """No file parts, but multipart all the same (httpx sends multipart only for truthy `files`;
    the SDK's ForceMultipartDict does the same)."""

    def __bool__(self) -> bool:
        return True


def failure(provider: str, error: Any) -> Failed:
    """A failed video's `error` ({code, message}); when it carries the headers of the original
    failure (a capacity failure's Retry-After, Retry-After-Ms, x-openai-inference-capacity-reason),
    the message says when the provider asks to be tried again."""
    err = error if isinstance(error, dict) else {}
    code = str(err.get("code") or "provider_failed")
    message = str(err.get("message") or f"{provider} reported the video failed without a reason")
    headers = err.get("headers")
    if isinstance(headers, dict):
        hints = httpx.Headers({str(k): str(v) for k, v in headers.items()})
        reason = hints.get("x-openai-inference-capacity-reason")
        if reason:
            message += f" (capacity: {reason})"
        wait = retry_after_seconds(httpx.Response(200, headers=hints))
        if wait is not None:
            message += f"; {provider} asks to be tried again in {wait:g} s"
    return Failed(code, message)


class OpenAIVideos(RemoteProvider):
    name = "openai"
    capabilities: ClassVar[frozenset[Capability]] = frozenset(Capability) - _NOT_FORWARDED
    required_settings: ClassVar[tuple[str, ...]] = ("api_key", "base_url")
    setting_help: ClassVar[dict[str, str]] = {
        "base_url": "the OpenAI-compatible /v1/videos endpoint to send to, e.g. a LiteLLM or Bifrost "
        "proxy: OpenAI's own Sora API shut down on 2026-09-24, so there is no default",
    }
    videos_path = "/v1/videos"

    def __init__(self, settings: ProviderSettings) -> None:
        super().__init__(settings)
        self.client.http.headers.update(JSON_ACCEPT)
        self.query: dict[str, str] = {}  # on every request (Azure's api-version)

    def base_url(self, settings: ProviderSettings) -> str:
        """The endpoint's root: BASE_URL without the API root (`/v1`, Azure's `/openai/v1`) that
        `videos_path` adds, so the SDK's `.../v1` form and the bare root both work."""
        assert settings.base_url
        base = settings.base_url.rstrip("/")
        return base.removesuffix(self.videos_path.removesuffix("/videos"))

    def url(self, suffix: str = "", **query: Any) -> str:
        """A path under the videos API with its whole query in the string: httpx replaces a URL's
        query with any `params` (the client's too), which once dropped `variant` on Azure."""
        merged = {**self.query, **{k: v for k, v in query.items() if v is not None}}
        return self.videos_path + suffix + ("?" + urlencode(merged) if merged else "")

    def spec_for(self, model: str) -> ModelSpec | None:
        """The catalog's limits for a model; None: the endpoint's own model, unknown to us."""
        return self.model_spec(model)

    def prepare(self, request: GenerationRequest) -> PreparedJob:
        refuse_unsupported(self.name, request, ("negative_prompt", "seed", "video_uri"))
        spec = self.spec_for(request.model)
        if spec is not None:
            seconds, size = check_request(self.name, spec, request)
            return PreparedJob(model=request.model, seconds=seconds, size=size)
        if request.audio is not None:  # the API has no audio switch: it could only be dropped
            raise InvalidRequest(
                f"{self.name}/{request.model} is not in the catalog and the /v1/videos API has no audio "
                "switch: whether it makes audio is the model's own",
                param="audio",
                code="unsupported_parameter",
                provider=self.name,
            )
        if request.size is not None:
            parse_size(request.size)
        return PreparedJob(
            model=request.model,
            seconds=request.seconds or DEFAULT_SECONDS,
            size=request.size or DEFAULT_SIZE,
            params={"seconds_set": request.seconds is not None, "size_set": request.size is not None},
        )

    def prepare_remix(self, source: JobRecord, prompt: str) -> PreparedJob:
        spec = self.spec_for(source.model)
        if spec is not None and "remix" not in spec.operations:
            raise InvalidRequest(
                f"{spec.id} cannot remix a video",
                param="video_id",
                code="unsupported_operation",
                provider=self.name,
            )
        return PreparedJob(model=source.model, seconds=source.seconds, size=source.size)

    async def submit(
        self, job: JobRecord, source: JobRecord | None = None, image: ImageInput | None = None
    ) -> Submitted:
        if source is not None:
            body = await self.client.create(
                self.url(f"/{source.upstream_id}/remix"), json={"prompt": job.prompt}
            )
        else:
            # In the SDK's order; a job made before the *_set flags existed sends both, as it did.
            fields = {"prompt": job.prompt, "model": job.model}
            if job.params.get("seconds_set", True):
                fields["seconds"] = str(job.seconds)
            if job.params.get("size_set", True):
                fields["size"] = job.size
            files: dict[str, Any] = _FormOnly()
            if image is not None:
                files = {"input_reference": (image.filename, image.data, image.mime_type)}
            body = await self.client.create(self.url(), data=fields, files=files)
        return Submitted(upstream_id=required_id(self.name, body, "id", what="the video"))

    async def recover(self, job: JobRecord) -> Submitted | NotSubmitted | None:
        """Look the job up among the newest on the account: exactly one with our prompt and model.
        Pages back until past the job's creation; reaching it without a match proves it never
        arrived. Gives up (unknown) after ten pages."""
        window = job.created_at - 60
        matches: list[dict] = []
        params: dict[str, Any] = {"limit": 100, "order": "desc"}
        for _ in range(10):
            body = await self.client.json("GET", self.url(**params))
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
            return failure(self.name, body.get("error"))
        if status == "completed":
            return Completed(await self._fetch_assets(job, ctx))
        pending = pending_status(self.name, status, STATUS)
        progress = body.get("progress")
        known = isinstance(progress, int | float) and not isinstance(progress, bool)
        return Pending(pending, float(progress) if known else None, self.next_poll(response))

    def next_poll(self, response: httpx.Response) -> float:
        """`openai-poll-after-ms` as the SDK's poll() honours it, but never sooner than a tenth of
        the configured interval (a hint of 0 would poll in a loop); else the configured interval."""
        hint = response.headers.get("openai-poll-after-ms")
        try:
            ms = float(hint) if hint is not None else math.nan
        except ValueError:
            ms = math.nan
        if not math.isfinite(ms) or ms < 0:
            return self.poll_interval
        return max(ms / 1000, self.poll_interval / 10)

    async def _fetch_assets(self, job: JobRecord, ctx: JobContext) -> dict:
        files = {}
        for variant, filename in VARIANT_FILES.items():
            dest = ctx.staging_dir / filename
            try:
                await self.client.download(
                    self.url(f"/{job.upstream_id}/content", variant=None if variant == "video" else variant),
                    dest,
                    max_bytes=ctx.max_asset_bytes,
                    headers=BINARY_ACCEPT,
                )
            except UpstreamError as exc:
                if variant == "video" or exc.status not in (400, 404):
                    raise
                continue  # no such variant upstream: the worker derives it from the video
            files[variant] = dest
        return files

    async def cancel(self, job: JobRecord) -> None:
        """DELETE the video. The spec deletes only completed or failed videos and has no cancel:
        when the endpoint refuses to delete one still running, it is left to finish and expire
        there (the gateway's copy is deleted all the same)."""
        if not job.upstream_id:
            return
        try:
            await self.client.request("DELETE", self.url(f"/{job.upstream_id}"))
        except UpstreamError as exc:
            if not job.active:
                gone_is_fine(exc)
                return
            gone_is_fine(exc, (400, 404, 409))
            log.warning(
                "upstream_delete_refused",
                provider=self.name,
                job_id=job.id,
                status=exc.status,
                error=exc.message[:200],
            )


class AzureVideos(OpenAIVideos):
    """Azure OpenAI's Sora 2: the OpenAI surface under /openai/v1, `api-key` header, deployment
    names as models. A deployment the catalog does not list is taken for a Sora 2 deployment (the
    only video model Azure serves on this surface) and checked as the catalog's `azure/sora-2`."""

    name = "azure"
    capabilities: ClassVar[frozenset[Capability]] = (
        frozenset(Capability) - _NOT_FORWARDED - {Capability.REMIX}
    )
    setting_help: ClassVar[dict[str, str]] = {
        "base_url": "the resource's endpoint, https://<resource>.openai.azure.com",
    }
    videos_path = "/openai/v1/videos"
    deployment_template = "sora-2"

    def auth_headers(self, settings: ProviderSettings) -> dict[str, str]:
        assert settings.api_key is not None
        return {"api-key": settings.api_key.get_secret_value()}

    def __init__(self, settings: ProviderSettings) -> None:
        super().__init__(settings)
        if settings.api_version:
            self.query = {"api-version": settings.api_version}

    def spec_for(self, model: str) -> ModelSpec | None:
        spec = self.model_spec(model)
        template = self.catalog.models.get(self.deployment_template)
        if spec is None and template is not None:
            spec = dataclasses.replace(template, name=model)
        return spec
