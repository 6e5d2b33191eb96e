"""Model-hosting platforms whose video models each have their own input schema: `replicate`, `fal`.

The gateway passes through only what the caller set, under the names these platforms' video
models use (`prompt`, `duration`, `aspect_ratio`, `seed`, `negative_prompt`, `image`), and never
invents a value; the platform answers for the rest with its own 4xx message. Both are open-ended
(`open_models: true`): any model the platform hosts passes through, so there are no per-model
limits to check here.

Replicate: `replicate/<owner>/<name>` runs the model's current version
(`POST /v1/models/{owner}/{name}/predictions`, as the `replicate` SDK's `models.predictions.create`);
`replicate/<owner>/<name>:<version>` runs that version (`POST /v1/predictions` with `version`, as
`replicate.run` and `predictions.create(version=...)`). Errors are RFC 7807 problem details.

fal: `fal/<owner>/<app>[/<path>]` is submitted to the queue, which hands back the URLs to poll,
fetch and cancel the request. Those URLs get the fal key, so they are followed only on the
configured queue's origin (and fal's own queue hosts when that is fal's default): a queue answer
that points anywhere else fails the job, and the key is never sent there.
"""

from __future__ import annotations

import json
import re
from typing import Any, ClassVar, NamedTuple

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
from .checks import aspect_ratio, parse_size, refuse_unsupported

BASIC = frozenset(
    {Capability.CREATE, Capability.RETRIEVE, Capability.DOWNLOAD, Capability.LIST, Capability.DELETE}
)
# A name segment both platforms take (owners, models, apps, sub-paths); `.` and `..` are not names.
SEGMENT = r"(?!\.\.?(?:[/:]|$))[A-Za-z0-9_.-]+"


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


def invalid_model(provider: str, model: str, shape: str) -> InvalidRequest:
    return InvalidRequest(
        f"{provider}/{model} is not a {provider} model name; {provider} models are named {shape}",
        param="model",
        code="invalid_model",
        provider=provider,
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


def _json_body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


# -- Replicate ---------------------------------------------------------------------------------


class ReplicateModel(NamedTuple):
    owner: str
    name: str
    version: str | None


# The `replicate` SDK's ModelVersionIdentifier (owner/name[:version]), with names kept to what
# Replicate allows so nothing but a model name ends up in the request path.
REPLICATE_MODEL = re.compile(rf"^(?P<owner>{SEGMENT})/(?P<name>{SEGMENT})(?::(?P<version>[^\s/:]+))?$")


def replicate_model(model: str) -> ReplicateModel:
    match = REPLICATE_MODEL.match(model)
    if match is None:
        raise invalid_model(
            "replicate", model, "replicate/<owner>/<name> or replicate/<owner>/<name>:<version>"
        )
    return ReplicateModel(match["owner"], match["name"], match["version"])


def replicate_error_message(response: httpx.Response) -> str:
    """Replicate's RFC 7807 problem details: `title: detail` (either alone when that is all)."""
    body = _json_body(response)
    if isinstance(body, dict):
        title, detail = body.get("title"), body.get("detail")
        title = title.strip() if isinstance(title, str) else ""
        detail = detail.strip() if isinstance(detail, str) else ""
        if title and detail and title != detail:
            return f"{title}: {detail}"
        if title or detail:
            return title or detail
    return default_error_message(response)


class ReplicateVideos(RemoteProvider):
    """Replicate predictions: `replicate/<owner>/<name>[:<version>]`."""

    name = "replicate"
    capabilities: ClassVar[frozenset[Capability]] = BASIC
    STATUS: ClassVar[dict[str, JobStatus]] = {
        "starting": JobStatus.QUEUED,
        "processing": JobStatus.IN_PROGRESS,
    }
    # Finished without a video: (our code, the message when Replicate gives no `error`).
    # `aborted` (not in the SDK's Literal) is a prediction whose deadline passed before it started
    # (replicate.com/docs/topics/predictions/lifecycle); it never changes again.
    FINISHED: ClassVar[dict[str, tuple[str, str]]] = {
        "failed": ("provider_failed", "the prediction failed"),
        "canceled": ("cancelled", "the prediction was canceled"),
        "aborted": ("aborted", "the prediction was aborted: its deadline passed before it started running"),
    }

    default_base_url = "https://api.replicate.com"

    def __init__(self, settings: ProviderSettings) -> None:
        super().__init__(settings)
        self.client.error_message = replicate_error_message

    def prepare(self, request: GenerationRequest) -> PreparedJob:
        replicate_model(request.model)
        return prepare_passthrough(self.name, request)

    async def submit(
        self, job: JobRecord, source: JobRecord | None = None, image: ImageInput | None = None
    ) -> Submitted:
        model = replicate_model(job.model)
        body: dict[str, Any] = {"input": model_inputs(job, image)}
        if model.version is None:
            path = f"/v1/models/{model.owner}/{model.name}/predictions"
        else:
            path, body["version"] = "/v1/predictions", model.version
        prediction = await self.client.create(path, json=body)
        return Submitted(upstream_id=required_id(self.name, prediction, "id", what="the prediction"))

    async def advance(self, job: JobRecord, ctx: JobContext) -> Outcome:
        prediction = await self.client.json("GET", f"/v1/predictions/{job.upstream_id}")
        status = prediction.get("status")
        if status == "succeeded":
            url = first_url(prediction.get("output"))
            if url is None:
                return Failed("no_output", "the prediction succeeded without a video URL")
            return await self.fetch_video(url, ctx)
        if status in self.FINISHED:
            code, message = self.FINISHED[status]
            return Failed(code, str(prediction.get("error") or message))
        return Pending(pending_status(self.name, status, self.STATUS), None, self.poll_interval)

    async def cancel(self, job: JobRecord) -> None:
        """A finished prediction answers the cancel with itself; a gone one is a 404."""
        if not job.upstream_id:
            return
        try:
            await self.client.request("POST", f"/v1/predictions/{job.upstream_id}/cancel")
        except UpstreamError as exc:
            gone_is_fine(exc)


# -- fal ---------------------------------------------------------------------------------------

# fal-client's AppId: an optional namespace, owner/alias (the app), then the endpoint's sub-path.
FAL_MODEL = re.compile(
    rf"^(?:(?P<namespace>workflows|comfy)/)?(?P<owner>{SEGMENT})/(?P<alias>{SEGMENT})(?:/{SEGMENT})*$"
)
# fal's queue and the backup host fal-client falls back to (fal_client/client.py _BACKUP_DOMAINS).
FAL_QUEUE_ORIGINS = ("https://queue.fal.run", "https://queue.falrun.com")
QUEUE_URLS = ("status_url", "response_url", "cancel_url")


def origin(url: str | httpx.URL) -> tuple[str, str, int | None]:
    parsed = httpx.URL(url)
    port = parsed.port or {"http": 80, "https": 443}.get(parsed.scheme)
    return parsed.scheme, parsed.host, port


def show_origin(key: tuple[str, str, int | None]) -> str:
    scheme, host, port = key
    default = {"http": 80, "https": 443}.get(scheme)
    return f"{scheme}://{host}" + ("" if port == default else f":{port}")


def fal_error_message(response: httpx.Response) -> str:
    """fal's `{"detail": "..."}`, or FastAPI-style `{"detail": [{"loc", "msg"}]}` as `field: msg`."""
    body = _json_body(response)
    detail = body.get("detail") if isinstance(body, dict) else None
    if isinstance(detail, list) and detail and all(isinstance(d, dict) for d in detail):
        parts = []
        for item in detail:
            loc = [str(p) for p in item.get("loc") or () if p != "body"]
            msg = str(item.get("msg", item))
            parts.append(f"{'.'.join(loc)}: {msg}" if loc else msg)
        return "; ".join(parts)
    return default_error_message(response)


class FalQueue(RemoteProvider):
    """fal's queue: `fal/<owner>/<app>[/<path>]`; polled through the URLs the queue hands back."""

    name = "fal"
    capabilities: ClassVar[frozenset[Capability]] = BASIC
    STATUS: ClassVar[dict[str, JobStatus]] = {
        "IN_QUEUE": JobStatus.QUEUED,
        "IN_PROGRESS": JobStatus.IN_PROGRESS,
    }

    default_base_url = "https://queue.fal.run"

    def __init__(self, settings: ProviderSettings) -> None:
        super().__init__(settings)
        self.client.error_message = fal_error_message
        self.queue = self.base_url(settings).rstrip("/")
        self.trusted = {origin(self.queue)}
        if origin(self.queue) == origin(self.default_base_url):
            self.trusted |= {origin(o) for o in FAL_QUEUE_ORIGINS}

    def auth_headers(self, settings: ProviderSettings) -> dict[str, str]:
        assert settings.api_key is not None
        return {"Authorization": f"Key {settings.api_key.get_secret_value()}"}

    def prepare(self, request: GenerationRequest) -> PreparedJob:
        if FAL_MODEL.match(request.model) is None:
            raise invalid_model(self.name, request.model, "fal/<owner>/<app> or fal/<owner>/<app>/<path>")
        return prepare_passthrough(self.name, request)

    async def submit(
        self, job: JobRecord, source: JobRecord | None = None, image: ImageInput | None = None
    ) -> Submitted:
        inputs = model_inputs(job, image)
        if image is not None:
            inputs["image_url"] = inputs.pop("image")
        queued = await self.client.create(f"/{job.model}", json=inputs)
        request_id = required_id(self.name, queued, "request_id", what="the queue request")
        urls = {k: queued.get(k) for k in QUEUE_URLS}
        if not all(isinstance(u, str) and u for u in urls.values()):
            raise UpstreamError(
                self.name, "the queue answered without its status, response and cancel URLs", status=502
            )
        # Kept as handed back; `advance` and `cancel` check their origin before sending the key.
        return Submitted(upstream_id=request_id, state=urls)

    def untrusted(self, url: str) -> str | None:
        """Where `url` would take the key, when that is not the configured queue; else None."""
        try:
            parsed: httpx.URL | None = httpx.URL(url)
        except httpx.InvalidURL:
            parsed = None
        if parsed is None or parsed.scheme not in ("http", "https") or not parsed.host:
            return f"{url[:100]!r} (not an absolute http(s) URL)"
        found = origin(parsed)
        return None if found in self.trusted else show_origin(found)

    def queue_url(self, job: JobRecord, suffix: str = "") -> str:
        """`{queue}/{owner}/{app}/requests/{id}{suffix}` on the configured queue, as fal-client's
        `from_request_id` builds it (the app's sub-path is not part of it)."""
        match = FAL_MODEL.match(job.model)
        assert match is not None  # prepare checked it
        prefix = f"{match['namespace']}/" if match["namespace"] else ""
        return f"{self.queue}/{prefix}{match['owner']}/{match['alias']}/requests/{job.upstream_id}{suffix}"

    async def advance(self, job: JobRecord, ctx: JobContext) -> Outcome:
        urls = job.upstream or {}
        for key in ("status_url", "response_url"):
            elsewhere = self.untrusted(str(urls.get(key, "")))
            if elsewhere is not None:
                return Failed(
                    "untrusted_queue_url",
                    f"fal's queue handed back a {key} on {elsewhere}, not on the configured queue "
                    f"({', '.join(sorted(show_origin(o) for o in self.trusted))}); the fal key is sent "
                    "only there, so the request was not followed",
                )
        state = await self.client.json("GET", urls["status_url"])
        status = state.get("status")
        if status == "COMPLETED":
            try:
                result = await self.client.json("GET", urls["response_url"])
            except UpstreamError as exc:
                if exc.status is not None and 400 <= exc.status < 500:  # the model run itself failed
                    code = state.get("error_type")
                    return Failed(code if isinstance(code, str) and code else "provider_failed", exc.message)
                raise
            url = first_url(result)
            if url is None:
                return Failed("no_output", "the request completed without a video URL")
            return await self.fetch_video(url, ctx)
        return Pending(pending_status(self.name, status, self.STATUS), None, self.poll_interval)

    async def cancel(self, job: JobRecord) -> None:
        """`PUT cancel_url`; a cancel URL off the configured queue is not followed: the request is
        cancelled on the configured queue by its id instead. A finished request answers 400
        (ALREADY_COMPLETED), a gone one 404 (NOT_FOUND)."""
        if not job.upstream_id:
            return
        url = (job.upstream or {}).get("cancel_url")
        if not isinstance(url, str) or self.untrusted(url) is not None:
            url = self.queue_url(job, "/cancel")
        try:
            await self.client.request("PUT", url)
        except UpstreamError as exc:
            gone_is_fine(exc, (400, 404))
