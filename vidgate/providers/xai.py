"""`xai`: xAI's video generation (Grok Imagine) over its REST API.

A job is one `POST /v1/videos/generations` (text to video, or image to video with `image: {url}`,
the caller's image as a data URL), answered with a `request_id`, then polled with
`GET /v1/videos/{request_id}`: HTTP 202 while it runs (with a `{status: "pending", progress}` body
or with no body at all), HTTP 200 once it is `done` (`video.url`, a public URL fetched without our
key) or `failed` (`error: {code, message}`). xAI has no endpoint to cancel or delete a generation.

The REST reference is the OpenAPI spec in xai-org/xai-sdk-ts (`spec/openapi.json`); xAI's Python
SDK speaks gRPC, whose request the SDK oracle test holds this adapter's JSON against.

Edits and extensions (the models whose catalog entry lists them) are `POST /v1/videos/edits`
`{model, prompt, video: {url}}` and `POST /v1/videos/extensions` `{model, prompt, video: {url},
duration}` (the new part, 1-10 s), the source sent as a base64 data URL, polled like any request;
the SDK's gRPC `GenerateVideo` with `video` and `ExtendVideo` carry the same fields. An extension's
result is the source and its continuation, one video.
"""

from __future__ import annotations

import json
import math
from typing import Any, ClassVar

import httpx

from ..catalog import ModelSpec, resolution_tier
from ..config import ProviderSettings
from ..domain import ImageInput, InvalidRequest, JobRecord, JobStatus
from ..upstream import UpstreamError
from .answers import pending_status, required_id
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
from .checks import check_request, parse_size, refuse_unsupported

# The API's vocabulary (spec `VideoAspectRatio`, `VideoResolution`): what a size is sent as. Which
# sizes a model takes is the catalog's business.
ASPECT_RATIOS = ("1:1", "16:9", "9:16", "4:3", "3:4", "3:2", "2:3")
RESOLUTIONS = ("480p", "720p", "1080p")
RATIO_TOLERANCE = 0.02  # 848x480 is xAI's 16:9 at 480p, 1088x720 its 3:2 at 720p
STATUS = {"pending": JobStatus.IN_PROGRESS}


def error_message(response: httpx.Response) -> str:
    """xAI's refusals: `{"code": "...", "error": "<message>"}`, or a bare JSON string
    (`"Incorrect API key provided: ..."`), or plain text."""
    text = response.text.strip()
    try:
        body = json.loads(text) if text else None
    except json.JSONDecodeError:
        return text[:500] or f"HTTP {response.status_code}"
    if isinstance(body, str) and body:
        return body
    if isinstance(body, dict):
        err = body.get("error")
        if isinstance(err, dict):  # the shape of a failed job, should a refusal use it
            err = err.get("message")
        code = body.get("code")
        if isinstance(err, str) and err:
            return f"{err} ({code})" if isinstance(code, str) and code else err
        if isinstance(code, str) and code:
            return code
    return f"HTTP {response.status_code}"


def xai_shape(size: str, model: str) -> tuple[str, str]:
    """`848x480` -> (`16:9`, `480p`): the nearest aspect ratio xAI names, and the resolution tier."""
    width, height = parse_size(size)
    resolution = resolution_tier(size)
    ratio = min(ASPECT_RATIOS, key=lambda r: abs(math.log(width / height) - _log_ratio(r)))
    if resolution not in RESOLUTIONS or abs(math.log(width / height) - _log_ratio(ratio)) > RATIO_TOLERANCE:
        raise InvalidRequest(
            f"xai/{model} takes sizes of aspect ratio {', '.join(ASPECT_RATIOS)} at "
            f"{', '.join(RESOLUTIONS)}; {size} is not one",
            param="size",
            code="invalid_size",
            provider="xai",
        )
    return ratio, resolution


def _log_ratio(ratio: str) -> float:
    width, _, height = ratio.partition(":")
    return math.log(int(width) / int(height))


def api_limits(model: str) -> ModelSpec:
    """A model the catalog does not list (only if an operator opens the provider's model names):
    what the API itself documents for every model (GenerateVideoRequest: 1-15 s, default 8;
    16:9 at 480p by default)."""
    return ModelSpec(
        provider="xai",
        name=model,
        seconds_range=(1, 15),
        default_seconds=8,
        default_size="848x480",
        audio="optional",
        image_input=True,
    )


class XaiVideos(RemoteProvider):
    name = "xai"
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {
            Capability.CREATE,
            Capability.RETRIEVE,
            Capability.DOWNLOAD,
            Capability.LIST,
            Capability.EDIT,
            Capability.EXTEND,
        }
    )
    default_base_url = "https://api.x.ai"

    def __init__(self, settings: ProviderSettings) -> None:
        super().__init__(settings)
        self.client.error_message = error_message  # xAI's refusal shapes (the client reads it per error)

    def prepare(self, request: GenerationRequest) -> PreparedJob:
        refuse_unsupported(self.name, request, ("negative_prompt", "seed", "video_uri"))
        spec = self.model_spec(request.model) or api_limits(request.model)
        seconds, size = check_request(self.name, spec, request)
        xai_shape(size, request.model)
        params = {"generate_audio": request.audio} if request.audio is not None else {}
        return PreparedJob(model=request.model, seconds=seconds, size=size, params=params)

    def body(self, job: JobRecord, image: ImageInput | None) -> dict[str, Any]:
        """Everything the job is made with, sent explicitly: xAI's defaults are never relied on."""
        aspect, resolution = xai_shape(job.size, job.model)
        body: dict[str, Any] = {
            "model": job.model,
            "prompt": job.prompt,
            "duration": job.seconds,
            "aspect_ratio": aspect,  # xAI ignores it for image to video: the image's own ratio wins
            "resolution": resolution,
        }
        if image is not None:
            body["image"] = {"url": image.data_url()}
        if job.params.get("generate_audio") is not None:
            body["generate_audio"] = bool(job.params["generate_audio"])
        return body

    async def submit(
        self, job: JobRecord, source: JobRecord | None = None, image: ImageInput | None = None
    ) -> Submitted:
        try:
            answer = await self.client.create("/v1/videos/generations", json=self.body(job, image))
        except UpstreamError as exc:
            raise self._credentials_refused(exc) from exc
        return Submitted(upstream_id=required_id(self.name, answer, "request_id"))

    def prepare_edit(self, source: SourceVideo, model: str, prompt: str) -> PreparedJob:
        assert source.upload is not None  # the service hands remote providers the bytes
        return PreparedJob(model=model, seconds=source.seconds, size=source.upload.size)

    def prepare_extend(self, source: SourceVideo, model: str, prompt: str, seconds: int) -> PreparedJob:
        assert source.upload is not None
        spec = self.model_spec(model)
        span = (spec.upstream.get("extend_seconds") if spec else None) or {"min": 1, "max": 10}
        low, high = int(span["min"]), int(span["max"])
        if not low <= seconds <= high:
            raise InvalidRequest(
                f"xai/{model} extends a video by {low} to {high} seconds, not {seconds}",
                param="seconds",
                code="invalid_seconds",
                provider=self.name,
            )
        return PreparedJob(
            model=model,
            seconds=source.seconds + seconds,
            size=source.upload.size,
            params={"extension_seconds": seconds},
            billed_seconds=seconds,
        )

    async def submit_operation(self, job: JobRecord, source: SourceVideo) -> Submitted:
        assert source.upload is not None
        body: dict[str, Any] = {
            "model": job.model,
            "prompt": job.prompt,
            "video": {"url": source.upload.data_url()},
        }
        path = "/v1/videos/edits"
        if job.params.get("operation") == "extend":
            path, body["duration"] = "/v1/videos/extensions", job.params["extension_seconds"]
        try:
            answer = await self.client.create(path, json=body)
        except UpstreamError as exc:
            raise self._credentials_refused(exc) from exc
        return Submitted(upstream_id=required_id(self.name, answer, "request_id"))

    def _credentials_refused(self, exc: UpstreamError) -> UpstreamError:
        """xAI refuses a wrong key with HTTP 400 ("Incorrect API key provided"): the operator's
        fault, not the caller's, so it is passed on as the 401 it means."""
        if exc.status == 400 and "api key" in exc.message.lower():
            return UpstreamError(self.name, exc.message, status=401)
        return exc

    async def advance(self, job: JobRecord, ctx: JobContext) -> Outcome:
        path = f"/v1/videos/{job.upstream_id}"
        response = await self.client.request("GET", path)
        if response.status_code == 202:  # still running, "with or without a JSON body"
            return self._pending(self._body(response, path, lenient=True))
        body = self._body(response, path)
        if body is None:
            raise UpstreamError(
                self.name,
                f"GET {path} answered {response.status_code} without a body",
                status=502,
                retryable=True,
            )
        status = body.get("status")
        if status == "done":
            video = body.get("video") if isinstance(body.get("video"), dict) else {}
            url = video.get("url")
            if isinstance(url, str) and url:
                return await self.fetch_video(url, ctx)  # a public URL: it gets no credentials
            if video.get("respect_moderation") is False:
                return Failed("content_filtered", "xAI's moderation withheld the generated video")
            return Failed("no_output", "the request finished without a video URL")
        if status == "failed":
            error = body.get("error")
            if isinstance(error, dict):
                return Failed(
                    str(error.get("code") or "provider_failed"),
                    str(error.get("message") or "the video generation failed"),
                )
            return Failed("provider_failed", str(error or "the video generation failed"))
        if status == "expired":
            return Failed("expired", "xAI let the request expire before it finished")
        pending_status(self.name, status, STATUS)  # an unknown word is retried, not trusted
        return self._pending(body)

    def _pending(self, body: dict[str, Any] | None) -> Pending:
        progress = (body or {}).get("progress")
        percent = float(progress) if isinstance(progress, int | float) and 0 <= progress <= 100 else None
        return Pending(JobStatus.IN_PROGRESS, percent, self.poll_interval)

    def _body(self, response: httpx.Response, path: str, *, lenient: bool = False) -> dict[str, Any] | None:
        """The answer's JSON object; None when there is no body. A malformed one is retried (or,
        `lenient`, when the status code alone says enough, read as no body)."""
        if not response.content.strip():
            return None
        try:
            body = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            if lenient:
                return None
            raise UpstreamError(
                self.name, f"malformed JSON from GET {path}", status=502, retryable=True
            ) from exc
        if isinstance(body, dict):
            return body
        if lenient:
            return None
        raise UpstreamError(self.name, f"unexpected JSON shape from GET {path}", status=502, retryable=True)
