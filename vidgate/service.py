"""The video operations, free of HTTP: what handlers call, one method per operation."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from .assets import Asset, LocalAssetStore
from .errors import VidgateError, bad_request, not_found, unsupported_operation
from .ids import VideoRef, is_job_id, new_job_id, parse_video_id
from .providers import Capability, GenerationRequest, PreparedJob, VideoProvider
from .store import JobRecord, JobStatus, JobStore, ListPage

VARIANTS = ("video", "thumbnail", "spritesheet")


@dataclass(frozen=True)
class Limits:
    max_active_jobs_per_tenant: int


class VideoService:
    def __init__(
        self,
        store: JobStore,
        assets: LocalAssetStore,
        providers: dict[str, VideoProvider],
        limits: Limits,
        on_new_job: Any = lambda: None,
    ) -> None:
        self.store = store
        self.assets = assets
        self.providers = providers
        self.limits = limits
        self.on_new_job = on_new_job

    # --- resolution -----------------------------------------------------------------------

    def provider(self, name: str, capability: Capability, *, param: str = "provider") -> VideoProvider:
        provider = self.providers.get(name)
        if provider is None:
            raise bad_request(
                f"provider {name!r} is not available on this gateway; available: "
                + ", ".join(sorted(self.providers)),
                code="unknown_provider",
                param=param,
                request_type=capability.value,
            )
        if not provider.supports(capability):
            raise unsupported_operation(capability.value, name)
        return provider

    def _ref(self, video_id: str, capability: Capability) -> tuple[VideoRef, VideoProvider]:
        ref = parse_video_id(video_id)
        return ref, self.provider(ref.provider, capability, param="video_id")

    async def _job(self, tenant: str, video_id: str, capability: Capability) -> JobRecord:
        ref, _ = self._ref(video_id, capability)
        job = None
        if is_job_id(ref.job_id):
            job = await self.store.get(tenant, ref.job_id, ref.provider)
        if job is None:  # another tenant's job is indistinguishable from none at all
            raise not_found(
                f"no video {video_id!r} for this API key; list yours with "
                f"GET /v1/videos?provider={ref.provider}",
                code="video_not_found",
                provider=ref.provider,
                request_type=capability.value,
            )
        return job

    # --- operations -----------------------------------------------------------------------

    async def create(self, tenant: str, body: dict[str, Any]) -> JobRecord:
        provider_name, _, model = body["model"].partition("/")
        provider = self.provider(provider_name, Capability.CREATE, param="model")
        for fallback in body.get("fallbacks") or []:
            self.provider(fallback["provider"], Capability.CREATE, param="fallbacks")
        request = GenerationRequest(
            model=model,
            prompt=body["prompt"],
            seconds=body.get("seconds"),
            size=body.get("size"),
            negative_prompt=body.get("negative_prompt"),
            seed=body.get("seed"),
            audio=body.get("audio"),
            input_reference=body.get("input_reference"),
            video_uri=body.get("video_uri"),
        )
        prepared = provider.prepare(request)
        params = dict(prepared.params)
        if body.get("fallbacks"):
            params["fallbacks"] = body["fallbacks"]
        return await self._insert(tenant, provider, prepared, body["prompt"], params, None)

    async def remix(self, tenant: str, video_id: str, body: dict[str, Any]) -> JobRecord:
        source = await self._job(tenant, video_id, Capability.REMIX)
        if source.status != JobStatus.COMPLETED:
            raise bad_request(
                f"video {video_id} is {source.status.value}; only a completed video can be "
                "remixed: poll it until its status is completed",
                code="video_not_completed",
                param="video_id",
                provider=source.provider,
                request_type=Capability.REMIX.value,
            )
        provider = self.providers[source.provider]
        prepared = provider.prepare_remix(source, body["prompt"])
        return await self._insert(
            tenant, provider, prepared, body["prompt"], dict(prepared.params), source.public_id
        )

    async def _insert(
        self,
        tenant: str,
        provider: VideoProvider,
        prepared: PreparedJob,
        prompt: str,
        params: dict[str, Any],
        remixed_from: str | None,
    ) -> JobRecord:
        active = await self.store.count_active(tenant)
        if active >= self.limits.max_active_jobs_per_tenant:
            raise VidgateError(
                429,
                "too_many_active_jobs",
                f"this API key already has {active} queued or in-progress jobs (the limit is "
                f"{self.limits.max_active_jobs_per_tenant}); wait for some to finish",
                headers={"Retry-After": "5"},
                error_type="policy_active_job_limit",
            )
        job = JobRecord(
            id=new_job_id(),
            tenant=tenant,
            provider=provider.name,
            model=prepared.model,
            status=JobStatus.QUEUED,
            prompt=prompt,
            seconds=prepared.seconds,
            size=prepared.size,
            created_at=int(time.time()),
            params=params,
            remixed_from=remixed_from,
        )
        await self.store.insert(job)
        self.on_new_job()
        return job

    async def retrieve(self, tenant: str, video_id: str) -> JobRecord:
        return await self._job(tenant, video_id, Capability.RETRIEVE)

    async def list(
        self, tenant: str, provider: str, *, after: str | None, limit: int, order: str
    ) -> ListPage:
        self.provider(provider, Capability.LIST)
        cursor = None
        if after:
            cursor = parse_video_id(after, param="after").job_id if ":" in after else after
        return await self.store.list(tenant, provider, after=cursor, limit=limit, descending=order != "asc")

    async def delete(self, tenant: str, video_id: str) -> JobRecord:
        job = await self._job(tenant, video_id, Capability.DELETE)
        deleted = await self.store.delete(tenant, job.id, job.provider)
        if deleted is None:
            raise not_found(f"no video {video_id!r} for this API key", code="video_not_found")
        self.assets.delete(job.id)
        return deleted

    async def open_asset(self, tenant: str, video_id: str, variant: str) -> Asset:
        job = await self._job(tenant, video_id, Capability.DOWNLOAD)
        if job.status != JobStatus.COMPLETED:
            detail = (
                f"it failed ({job.error_code}: {job.error_message})"
                if job.status == JobStatus.FAILED
                else f"it is {job.status.value} ({job.progress:.0f}%); poll "
                f"GET /v1/videos/{video_id} until its status is completed"
            )
            raise not_found(
                f"video {video_id} is not yet available: {detail}",
                code="video_not_ready",
                provider=job.provider,
                request_type=Capability.DOWNLOAD.value,
            )
        if job.expires_at is not None and job.expires_at <= time.time():
            raise not_found(
                f"video {video_id} expired at {job.expires_at} (Unix time) and its files were "
                "removed; generate it again",
                code="video_expired",
                provider=job.provider,
            )
        meta = (job.assets or {}).get(variant)
        asset = self.assets.open(job.id, meta) if meta else None
        if asset is None:
            raise not_found(
                f"video {video_id} has no {variant} variant available",
                code="variant_not_found",
                param="variant",
                provider=job.provider,
            )
        return asset
