"""Edits and extensions: a new job that starts from a source video, either a completed job of the
caller's (done by that job's provider) or an upload (decoded and checked here, kept with the new
job, done by the model asked for). Same limits, budgets, idempotency and webhooks as a create: the
job goes through the same submission."""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import hashlib
from typing import Any

from .. import render
from ..domain import Caller, InvalidRequest, JobRecord, NotFound, VideoInput
from ..providers import Capability, SourceVideo, VideoProvider
from .idempotency import run_idempotent
from .submission import new_job
from .videos import VideoService, completed_source

MAX_SOURCE_SECONDS = 60.0
MAX_SOURCE_PIXELS = 3840 * 2160
OPERATION = {Capability.EDIT: "edit", Capability.EXTEND: "extend"}


def upload_digest(upload: bytes | None) -> str | None:
    return None if upload is None else hashlib.sha256(upload).hexdigest()


async def probe_upload(upload: bytes, param: str = "video") -> VideoInput:
    """Decode enough of an upload to know it is a video we can use (off the event loop)."""
    return await asyncio.to_thread(
        render.probe_video,
        upload,
        max_seconds=MAX_SOURCE_SECONDS,
        max_pixels=MAX_SOURCE_PIXELS,
        param=param,
    )


def one_source(video_id: str | None, upload: bytes | None) -> None:
    if video_id and upload is not None:
        raise InvalidRequest(
            "send the source video either as an upload (`video`) or by id (`video[id]`), not both",
            code="invalid_video",
            param="video",
        )
    if not video_id and upload is None:
        raise InvalidRequest(
            "a source video is required: upload it as `video`, or name a completed video of yours "
            'by id (`{"video": {"id": ...}}`, or `video[id]` in a form)',
            code="missing_video",
            param="video",
        )


class VideoOperations:
    def __init__(self, videos: VideoService) -> None:
        self.videos = videos

    async def edit(
        self, caller: Caller, body: dict[str, Any], upload: bytes | None, idempotency_key: str | None
    ) -> JobRecord:
        return await self._idempotent(Capability.EDIT, caller, body, upload, idempotency_key)

    async def extend(
        self, caller: Caller, body: dict[str, Any], upload: bytes | None, idempotency_key: str | None
    ) -> JobRecord:
        return await self._idempotent(Capability.EXTEND, caller, body, upload, idempotency_key)

    async def _idempotent(
        self,
        capability: Capability,
        caller: Caller,
        body: dict[str, Any],
        upload: bytes | None,
        key: str | None,
    ) -> JobRecord:
        make = functools.partial(self._make, capability, caller, body, upload)
        request = {"op": OPERATION[capability], "body": body, "upload": upload_digest(upload)}
        videos = self.videos
        return await run_idempotent(
            videos.idempotency, videos.store.get_by_id, caller.tenant, key, request, make
        )

    async def _source(
        self, capability: Capability, caller: Caller, body: dict[str, Any], upload: bytes | None
    ) -> tuple[SourceVideo, VideoProvider, str]:
        """The source, the provider that works on it and its model: the one asked for (`model`),
        else a source job's own, else (an upload) the gateway's default."""
        video_id = body.get("video_id")
        one_source(video_id, upload)
        job = None
        if video_id:
            job = await self.videos._job(caller.tenant, video_id, Capability.RETRIEVE)
            completed_source(job, video_id, capability.value)
        if job is not None and not body.get("model"):
            provider_name, model, param = job.provider, job.model, "video"
        else:
            provider_name, _, model = self.videos.resolve_model(body.get("model")).partition("/")
            param = "model"
        self.videos.check_lifecycle(provider_name, model, param)
        provider = self.videos.provider(provider_name, capability, param=param)
        if job is None:
            assert upload is not None
            return SourceVideo(upload=await probe_upload(upload)), provider, model
        if provider.runs_locally:  # the worker reads the source's file itself
            return SourceVideo(job=job), provider, model
        # a provider upstream is sent the file the gateway keeps of the job
        return SourceVideo(job=job, upload=await self._kept(job, video_id)), provider, model

    async def _kept(self, job: JobRecord, video_id: str) -> VideoInput:
        assets = self.videos.assets
        meta = (job.assets or {}).get("video")
        staging = assets.new_staging(job.id)
        try:
            path = await assets.local_copy(job.id, meta, staging) if meta else None
            data = await asyncio.to_thread(path.read_bytes) if path else None
        finally:
            assets.discard(staging)
        if data is None:
            raise NotFound(f"video {video_id} has no file any more", code="video_not_found", param="video")
        return await probe_upload(data)

    @staticmethod
    def _check_model(provider: VideoProvider, model: str, capability: Capability) -> None:
        """The catalog says which models edit or extend; a model it does not list is the provider's."""
        spec = provider.catalog.models.get(model)
        if spec is not None and OPERATION[capability] not in spec.operations:
            raise InvalidRequest(
                f"{capability.value} is not supported by {provider.name}/{model}",
                code="unsupported_operation",
                provider=provider.name,
                model=f"{provider.name}/{model}",
                request_type=capability.value,
            )

    async def _make(
        self, capability: Capability, caller: Caller, body: dict[str, Any], upload: bytes | None
    ) -> JobRecord:
        source, provider, model = await self._source(capability, caller, body, upload)
        self._check_model(provider, model, capability)
        prompt = body["prompt"]
        if capability == Capability.EXTEND:
            prepared = provider.prepare_extend(source, model, prompt, int(body["seconds"]))
        else:
            prepared = provider.prepare_edit(source, model, prompt)
        params: dict[str, Any] = {**prepared.params, "operation": OPERATION[capability]}
        if prepared.billed_seconds is not None:
            params["billed_seconds"] = prepared.billed_seconds
        if source.job is not None:
            params["source_video_id"] = source.job.public_id
        job = new_job(caller, provider, prepared, prompt, params, None)
        if source.upload is None:
            return await self.videos.submitter.submit(
                job, [(provider, prepared)], source.job, None, capability, caller, operation=source
            )
        kept = await self._keep_upload(job.id, source.upload)
        job = dataclasses.replace(job, params={**job.params, "source_upload": kept})
        try:
            return await self.videos.submitter.submit(
                job, [(provider, prepared)], None, None, capability, caller, operation=source
            )
        except BaseException:  # no job was made: nothing of it may stay behind
            await self.videos.assets.delete(job.id)
            raise

    async def _keep_upload(self, job_id: str, video: VideoInput) -> dict[str, Any]:
        """The upload, stored with the job it is for (any worker may run the job)."""
        assets = self.videos.assets
        staging = assets.new_staging(job_id)
        try:
            path = staging / video.filename
            await asyncio.to_thread(path.write_bytes, video.data)
            meta = await assets.commit(job_id, {"source": path})
        finally:
            assets.discard(staging)
        return meta["source"]
