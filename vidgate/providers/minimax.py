"""`minimax`: MiniMax's video generation, through whichever of its two APIs the model is served by.

- The original API (Hailuo 2.3, 2.3-Fast, 02): `POST /v1/video_generation` answers a `task_id`;
  `GET /v1/query/video_generation?task_id=` walks `Preparing|Queueing|Processing` to `Success` (a
  `file_id`) or `Fail`; `GET /v1/files/retrieve?file_id=` gives a `download_url` that lasts an hour,
  so the video is fetched in the same step that sees the task succeed. Errors come as HTTP 200 with
  `base_resp.status_code` set; there is no cancel, so deleting such a job removes only our copy.
- The V2 API (MiniMax-H3, MiniMax-H3-Max, 2026-07-30): `POST /v2/video_generation` with `content[]`,
  `GET /v2/query/video_generation/{task_id}` answering `{"task": ...}` with the video's URL, real
  HTTP error statuses, and `DELETE /v2/video_generation/{task_id}` (cancels a queued task, deletes a
  finished one).

Which API a model uses is decided by its name (`MiniMax-H3...` is V2). Both take a resolution tier
and (V2) an aspect ratio rather than pixels, so the catalog's sizes name tier and ratio:

    tier        V1 (Hailuo)                        V2 (H3 / H3-Max)
    512P        910x512, 682x512, 512x512 ...      -
    480P        -                                  832x480, 480x832, 640x480, 480x640, 480x480
    768P        1366x768, 768x1366, 1024x768, ...  1344x768, 768x1344, 1024x768, 768x1024, 768x768
    1080P / 2K  1920x1080, 1080x1920, 1440x1080... 2560x1440, 1440x2560, 1920x1440, 1440x1920, 1440x1440

The short side is the tier (2K's is 1440); the long side follows the ratio (16:9, 4:3, 1:1 and
their portrait forms), on MiniMax's 32-pixel grid for H3 (1344 wide, not 1366). Text-to-video on V1
is always 16:9 landscape; image-to-video on both APIs takes the image's aspect ratio, so the image
must have the ratio of the size asked for (a 400 otherwise: the recorded size is what comes back).
"""

from __future__ import annotations

import io
import math
from typing import Any, ClassVar

import httpx

from ..catalog import ModelSpec
from ..config import ProviderSettings
from ..domain import ImageInput, InvalidRequest, JobRecord, JobStatus
from ..upstream import UpstreamError
from ..upstream.client import default_error_message, retry_after_seconds
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

V2_PREFIX = "MiniMax-H3"  # MiniMax-H3, MiniMax-H3-Max: the V2 API; every other model: the original
IMAGE_TO_VIDEO_ONLY = frozenset({"MiniMax-Hailuo-2.3-Fast"})
RATIOS = {"21:9": 21 / 9, "16:9": 16 / 9, "4:3": 4 / 3, "1:1": 1.0, "3:4": 3 / 4, "9:16": 9 / 16}
RATIO_TOLERANCE = 0.03  # how far an image's aspect may be from the ratio of the size asked for

# base_resp.status_code (V1 answers, HTTP 200) -> (HTTP status it stands for, retryable, our code).
# https://platform.minimax.io/docs/api-reference/errorcode
BASE_RESP: dict[int, tuple[int, bool, str]] = {
    1000: (500, True, "provider_error"),  # unknown error
    1001: (504, True, "provider_timeout"),
    1013: (500, True, "provider_error"),  # internal service error
    1002: (429, True, "rate_limited"),  # requests per minute
    1039: (429, True, "rate_limited"),  # tokens per minute
    1004: (401, False, "authentication_failed"),
    2049: (401, False, "invalid_api_key"),
    1008: (402, False, "insufficient_balance"),
    1026: (400, False, "input_sensitive"),
    1027: (400, False, "output_sensitive"),
    2013: (400, False, "invalid_params"),
    1028: (429, False, "plan_limit"),  # Token Plan quotas: not worth retrying within a request
    1030: (429, False, "plan_limit"),
    2056: (429, False, "plan_limit"),
    2061: (429, False, "plan_limit"),
    2038: (403, False, "verification_required"),
}
V1_FAILED = ("Fail", "Failed")  # mmx-cli spells it Failed


def ratio_of(width: int, height: int) -> str | None:
    """The MiniMax aspect ratio nearest to width:height, if one is within the tolerance."""
    label, value = min(RATIOS.items(), key=lambda item: abs(math.log(width / height / item[1])))
    return label if abs(width / height / value - 1) <= RATIO_TOLERANCE else None


def minimax_error_message(response: httpx.Response) -> str:
    """`base_resp.status_msg (code)` where MiniMax sends one; V2's `error.message` already ends in
    its code, e.g. `rate limit, please retry later (1002)`."""
    try:
        body = response.json()
    except ValueError:
        body = None
    base = body.get("base_resp") if isinstance(body, dict) else None
    if isinstance(base, dict) and base.get("status_code"):
        return f"{base.get('status_msg') or 'error'} ({base['status_code']})"
    return default_error_message(response)


def base_resp_error(provider: str, body: Any) -> UpstreamError | None:
    """A V1 answer's `base_resp` failure as the error it is; None for success, and for a query whose
    task has failed (that is the job's outcome, read by `advance`, not a failed call)."""
    base = body.get("base_resp") if isinstance(body, dict) else None
    if not isinstance(base, dict) or body.get("status") in V1_FAILED:
        return None
    try:
        code = int(base.get("status_code") or 0)
    except (TypeError, ValueError):
        code = -1
    if code == 0:
        return None
    status, retryable, kind = BASE_RESP.get(code, (502, False, "provider_error"))
    message = f"{base.get('status_msg') or 'error'} ({code})"
    if code == 1008:
        message = f"the MiniMax account's balance is insufficient ({message}); the operator must top it up"
    return UpstreamError(provider, message, status=status, retryable=retryable, code=kind)


def _refuse(provider: str, spec: ModelSpec, param: str, message: str, allowed: list[str]) -> InvalidRequest:
    return InvalidRequest(
        f"{spec.id} {message}; allowed: " + ", ".join(allowed),
        param=param,
        code=f"invalid_{param}",
        provider=provider,
    )


class MiniMaxApi:
    """One of MiniMax's two APIs: what it checks, sends and reads."""

    tiers: ClassVar[dict[int, str]]  # short side -> resolution tier
    max_prompt: ClassVar[int]  # characters
    create_path: ClassVar[str]

    def __init__(self, provider: MiniMaxVideos) -> None:
        self.provider = provider
        self.name = provider.name

    def tier(self, spec: ModelSpec, size: str) -> str:
        width, height = parse_size(size)
        tier = self.tiers.get(min(width, height))
        if tier is None or ratio_of(width, height) is None:
            tiers = ", ".join(f"{side} px short side = {name}" for side, name in self.tiers.items())
            raise InvalidRequest(
                f"{spec.id} makes sizes of MiniMax's resolution tiers ({tiers}) in the ratios "
                + ", ".join(RATIOS)
                + f"; {size} is not one of them",
                param="size",
                code="invalid_size",
                provider=self.name,
            )
        return tier

    def check(self, spec: ModelSpec, seconds: int, size: str, tier: str, image: bool) -> None:
        """Combinations the catalog's lists cannot say."""

    def body(self, job: JobRecord, image: ImageInput | None) -> dict[str, Any]:
        raise NotImplementedError

    async def advance(self, job: JobRecord, ctx: JobContext) -> Outcome:
        raise NotImplementedError

    async def cancel(self, job: JobRecord) -> None:
        return None


class OriginalApi(MiniMaxApi):
    """`/v1/video_generation`: Hailuo 2.3, 2.3-Fast and 02."""

    tiers: ClassVar[dict[int, str]] = {512: "512P", 768: "768P", 1080: "1080P"}
    max_prompt = 2000
    create_path = "/v1/video_generation"
    STATUS: ClassVar[dict[str, JobStatus]] = {
        "Preparing": JobStatus.QUEUED,
        "Queueing": JobStatus.QUEUED,
        "Processing": JobStatus.IN_PROGRESS,
    }

    def check(self, spec: ModelSpec, seconds: int, size: str, tier: str, image: bool) -> None:
        sizes = list(spec.sizes or ())
        if tier == "1080P" and seconds != 6:
            raise _refuse(self.name, spec, "seconds", f"takes only 6 s at 1080P ({size})", ["6"])
        if image:
            return
        text_sizes = [s for s in sizes if ratio_of(*parse_size(s)) == "16:9" and self.tier(spec, s) != "512P"]
        if size not in text_sizes:
            why = "512P is image to video only" if tier == "512P" else "text to video is 16:9 landscape"
            raise _refuse(
                self.name,
                spec,
                "size",
                f"does not take size {size} without input_reference ({why})",
                text_sizes,
            )

    def body(self, job: JobRecord, image: ImageInput | None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": job.model,
            "prompt": job.prompt,
            "duration": job.seconds,
            "resolution": self.tiers[min(parse_size(job.size))],
        }
        if image is not None:
            body["first_frame_image"] = image.data_url()
        return body

    async def advance(self, job: JobRecord, ctx: JobContext) -> Outcome:
        client = self.provider.client
        task = await client.json("GET", "/v1/query/video_generation", params={"task_id": job.upstream_id})
        status = task.get("status")
        if status == "Success":
            file_id = str(task.get("file_id") or "")  # a string here, an int64 in files/retrieve
            if not file_id:
                return Failed("no_output", "the task succeeded without a file_id")
            answer = await client.json("GET", "/v1/files/retrieve", params={"file_id": file_id})
            url = (answer.get("file") or {}).get("download_url")
            if not isinstance(url, str) or not url:
                raise UpstreamError(
                    self.name, f"file {file_id} has no download_url", status=502, retryable=True
                )
            # The URL lasts an hour: fetched now, in the step that saw the task succeed.
            return await self.provider.fetch_video(url, ctx)
        if status in V1_FAILED:  # the reason, where MiniMax gives one, is in base_resp (1026, 1027)
            base = task.get("base_resp") if isinstance(task.get("base_resp"), dict) else {}
            if base.get("status_code"):
                return Failed(str(base["status_code"]), str(base.get("status_msg") or "the task failed"))
            return Failed("provider_failed", "the video generation task failed at MiniMax")
        return Pending(pending_status(self.name, status, self.STATUS), None, self.provider.poll_interval)


class V2Api(MiniMaxApi):
    """`/v2/video_generation`: MiniMax-H3 and MiniMax-H3-Max."""

    tiers: ClassVar[dict[int, str]] = {480: "480P", 768: "768P", 1440: "2K"}
    max_prompt = 7000
    create_path = "/v2/video_generation"
    STATUS: ClassVar[dict[str, JobStatus]] = {"queued": JobStatus.QUEUED, "running": JobStatus.IN_PROGRESS}

    def body(self, job: JobRecord, image: ImageInput | None) -> dict[str, Any]:
        content: list[dict[str, Any]] = [{"type": "text", "text": job.prompt}]
        if image is not None:
            content.append(
                {"type": "image_url", "image_url": {"url": image.data_url()}, "role": "first_frame"}
            )
        width, height = parse_size(job.size)
        return {
            "model": job.model,
            "content": content,
            "resolution": self.tiers[min(width, height)],
            "duration": job.seconds,
            # Text to video needs a concrete ratio; a first frame sets its own (checked in submit).
            "ratio": "adaptive" if image is not None else ratio_of(width, height),
        }

    async def advance(self, job: JobRecord, ctx: JobContext) -> Outcome:
        body = await self.provider.client.json("GET", f"/v2/query/video_generation/{job.upstream_id}")
        task = body.get("task") if isinstance(body.get("task"), dict) else {}
        status = task.get("status")
        if status == "succeeded":
            url = (task.get("content") or {}).get("url")
            if not isinstance(url, str) or not url:
                return Failed("no_output", "the task succeeded without a video URL")
            return await self.provider.fetch_video(url, ctx)
        if status == "failed":
            error = task.get("error") or {}
            return Failed(
                str(error.get("code") or "provider_failed"), str(error.get("message") or "the task failed")
            )
        if status in ("cancelled", "expired"):
            return Failed(status, f"the task was {status} at MiniMax")
        return Pending(pending_status(self.name, status, self.STATUS), None, self.provider.poll_interval)

    async def cancel(self, job: JobRecord) -> None:
        try:
            await self.provider.client.request("DELETE", f"/v2/video_generation/{job.upstream_id}")
        except UpstreamError as exc:
            # Gone (404), or a running or already cancelled task, which MiniMax refuses to delete:
            # the gateway's copy goes anyway (the task was billed at create; its output expires).
            gone_is_fine(exc, (400, 404, 409))


class MiniMaxVideos(RemoteProvider):
    name = "minimax"
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {Capability.CREATE, Capability.RETRIEVE, Capability.DOWNLOAD, Capability.LIST, Capability.DELETE}
    )
    default_base_url = "https://api.minimax.io"  # mainland China: https://api.minimaxi.com (BASE_URL)

    def __init__(self, settings: ProviderSettings) -> None:
        super().__init__(settings)
        self.client.error_message = minimax_error_message
        self.client.http.event_hooks["response"].append(self._raise_for_minimax)
        self.original, self.v2 = OriginalApi(self), V2Api(self)

    def api(self, model: str) -> MiniMaxApi:
        return self.v2 if model.startswith(V2_PREFIX) else self.original

    async def _raise_for_minimax(self, response: httpx.Response) -> None:
        """MiniMax's failures that the upstream client cannot see by HTTP status, raised inside its
        call so its retry policy applies: V1's `base_resp` errors (HTTP 200) and V2's 529
        `overloaded_error`."""
        if response.status_code == 529:
            await response.aread()
            raise UpstreamError(
                self.name,
                f"MiniMax is overloaded: {minimax_error_message(response)}",
                status=503,
                retryable=True,
                retry_after=retry_after_seconds(response),
            )
        if response.status_code != 200 or "json" not in response.headers.get("content-type", ""):
            return
        await response.aread()
        try:
            body = response.json()
        except ValueError:
            return  # the upstream client reports malformed answers itself
        error = base_resp_error(self.name, body)
        if error is not None:
            raise error

    def prepare(self, request: GenerationRequest) -> PreparedJob:
        refuse_unsupported(self.name, request, ("negative_prompt", "seed"))
        spec = self.model_spec(request.model)
        assert spec is not None  # the catalog lists every MiniMax model this adapter serves
        seconds, size = check_request(self.name, spec, request)
        api = self.api(request.model)
        image = request.input_reference is not None
        if request.model in IMAGE_TO_VIDEO_ONLY and not image:
            raise InvalidRequest(
                f"{spec.id} makes video from an image only: send input_reference",
                param="input_reference",
                code="missing_input_reference",
                provider=self.name,
            )
        if len(request.prompt) > api.max_prompt:
            raise InvalidRequest(
                f"{spec.id} takes prompts of at most {api.max_prompt} characters",
                param="prompt",
                code="prompt_too_long",
                provider=self.name,
            )
        api.check(spec, seconds, size, api.tier(spec, size), image)
        return PreparedJob(model=request.model, seconds=seconds, size=size)

    async def submit(
        self, job: JobRecord, source: JobRecord | None = None, image: ImageInput | None = None
    ) -> Submitted:
        if image is not None:
            self._check_image_ratio(job, image)
        api = self.api(job.model)
        answer = await self.client.create(api.create_path, json=api.body(job, image))
        return Submitted(upstream_id=required_id(self.name, answer, "task_id"))

    def _check_image_ratio(self, job: JobRecord, image: ImageInput) -> None:
        """The video takes the image's aspect ratio: it must be the size's, or the size we record
        would not be the video's. Raised before anything is sent (a 400, and no job is kept)."""
        from PIL import Image  # loaded with the first image, not at start-up

        try:
            width, height = Image.open(io.BytesIO(image.data)).size
        except OSError as exc:  # PIL's UnidentifiedImageError is one
            raise UpstreamError(self.name, "input_reference is not a readable image", status=400) from exc
        wanted = ratio_of(*parse_size(job.size))
        if ratio_of(width, height) != wanted:
            spec = self.model_spec(job.model)
            sizes = [f"{s} ({ratio_of(*parse_size(s))})" for s in (spec.sizes if spec else ()) or ()]
            raise UpstreamError(
                self.name,
                f"{self.name}/{job.model} makes image-to-video in the image's aspect ratio, and the image "
                f"is {width}x{height}, not {wanted} like size {job.size}: crop the image or ask for a size "
                "of its ratio (" + ", ".join(sizes) + ")",
                status=400,
                code="invalid_size",
            )

    async def advance(self, job: JobRecord, ctx: JobContext) -> Outcome:
        return await self.api(job.model).advance(job, ctx)

    async def cancel(self, job: JobRecord) -> None:
        if job.upstream_id:
            await self.api(job.model).cancel(job)
