"""The video operations, free of HTTP: what handlers call, one method per operation."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import structlog

from .assets import Asset, AssetStore
from .errors import VidgateError, bad_request, not_found, unsupported_operation
from .guarded_http import AddressPolicy
from .ids import VideoRef, is_job_id, new_job_id, parse_video_id
from .inputs import ImageInput, fetch_image
from .providers import Capability, GenerationRequest, PreparedJob, ProviderRegistry, VideoProvider
from .store import Claim, IdempotencyKeys, JobRecord, JobStatus, JobStore, ListPage, SubmitState
from .upstream import UpstreamError

log = structlog.get_logger("vidgate.service")

VARIANTS = ("video", "thumbnail", "spritesheet")


@dataclass(frozen=True)
class Caller:
    """Who is asking: the tenant owns the jobs; the key is billed and limited."""

    tenant: str
    key_id: str | None = None
    max_active_jobs: int | None = None

    @classmethod
    def from_token(cls, tenant: str, token_info: dict[str, Any]) -> Caller:
        return cls(tenant, token_info.get("key_id"), token_info.get("max_active_jobs"))


@dataclass(frozen=True)
class Limits:
    max_active_jobs_per_tenant: int
    submit_timeout_seconds: float = 120.0
    url_policy: AddressPolicy = dataclasses.field(default_factory=AddressPolicy)
    model_aliases: dict[str, str] = dataclasses.field(default_factory=dict)
    fallback_model: str = "local/default"


def worth_a_fallback(error: UpstreamError) -> bool:
    """Retryable trouble (after retries), a 5xx, no answer, or the provider refusing the model."""
    if error.retryable or error.status is None or error.status >= 500:
        return True
    return error.status in (400, 404, 422) and "model" in error.message.lower()


class VideoService:
    def __init__(
        self,
        store: JobStore,
        assets: AssetStore,
        providers: ProviderRegistry,
        limits: Limits,
        keys: IdempotencyKeys,
        on_new_job: Any = lambda: None,
    ) -> None:
        self.store = store
        self.keys = keys
        self.assets = assets
        self.providers = providers
        self.limits = limits
        self.on_new_job = on_new_job

    # --- resolution -----------------------------------------------------------------------

    def provider(self, name: str, capability: Capability, *, param: str = "provider") -> VideoProvider:
        provider = self.providers.offered.get(name)
        if provider is None and name in self.providers.unconfigured:
            raise bad_request(
                f"provider {name!r} is not configured on this gateway: the operator must set "
                f"{self.providers.unconfigured[name]}",
                code="provider_not_configured",
                param=param,
                provider=name,
                request_type=capability.value,
            )
        if provider is None:
            raise bad_request(
                f"provider {name!r} is not available on this gateway; available: "
                + ", ".join(sorted(self.providers.offered)),
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

    async def create(
        self, caller: Caller, body: dict[str, Any], idempotency_key: str | None = None
    ) -> JobRecord:
        return await self._idempotent(
            caller.tenant, idempotency_key, {"op": "create", "body": body}, lambda: self._create(caller, body)
        )

    async def remix(
        self, caller: Caller, video_id: str, body: dict[str, Any], idempotency_key: str | None = None
    ) -> JobRecord:
        return await self._idempotent(
            caller.tenant,
            idempotency_key,
            {"op": "remix", "video_id": video_id, "body": body},
            lambda: self._remix(caller, video_id, body),
        )

    async def _idempotent(
        self,
        tenant: str,
        key: str | None,
        request: dict[str, Any],
        make: Callable[[], Awaitable[JobRecord]],
    ) -> JobRecord:
        """Same key, same request: the same job. Same key, other request: 422. Still running: 409."""
        if key is None:
            return await make()
        fingerprint = hashlib.sha256(
            json.dumps(request, sort_keys=True, separators=(",", ":")).encode()
        ).hexdigest()
        deadline = time.monotonic() + 10
        while True:
            state = await self.keys.reserve(tenant, key, fingerprint)
            if state.claim == Claim.NEW:
                break
            if state.claim == Claim.MISMATCH:
                raise VidgateError(
                    422,
                    "idempotency_key_reused",
                    f"Idempotency-Key {key!r} was already used with a different request in the last "
                    f"{self.keys.ttl // 3600} h; send a new key for a new request",
                )
            if state.claim == Claim.DONE and state.job_id:
                job = await self.store.get_by_id(state.job_id)
                if job is None or job.tenant != tenant:
                    raise VidgateError(
                        422,
                        "idempotency_key_reused",
                        f"the job made with Idempotency-Key {key!r} has been deleted; send a new key",
                    )
                return job
            if time.monotonic() > deadline:
                raise VidgateError(
                    409,
                    "idempotency_key_in_use",
                    f"a request with Idempotency-Key {key!r} is still being served; retry shortly",
                    headers={"Retry-After": "1"},
                )
            await asyncio.sleep(0.05)
        try:
            job = await make()
        except BaseException:
            await self.keys.release(tenant, key)
            raise
        await self.keys.finish(tenant, key, job.id)
        return job

    def resolve_model(self, model: str) -> str:
        """`provider/model` as is; an alias (`sora-2`) to its target, or to the fallback model when
        the target's provider is not configured, so unmodified OpenAI clients work with no key."""
        if "/" in model:
            return model
        target = self.limits.model_aliases.get(model)
        if target is None:
            raise bad_request(
                f"model {model!r} has no provider: use provider/model (e.g. local/default) or one of "
                + ", ".join(sorted(self.limits.model_aliases)),
                param="model",
                code="model_not_found",
            )
        return target if target.split("/", 1)[0] in self.providers.offered else self.limits.fallback_model

    async def _create(self, caller: Caller, body: dict[str, Any]) -> JobRecord:
        body = {**body, "model": self.resolve_model(body["model"])}
        if isinstance(body.get("seconds"), str):  # OpenAI clients send form strings
            body["seconds"] = int(body["seconds"])
        provider_name, _, model = body["model"].partition("/")
        primary = self.provider(provider_name, Capability.CREATE, param="model")
        fallbacks = [
            (self.provider(f["provider"], Capability.CREATE, param="fallbacks"), f["model"])
            for f in body.get("fallbacks") or []
        ]
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
        prepared = primary.prepare(request)  # the caller's values must suit the provider they named
        candidates = [(primary, prepared)]
        for provider, fallback_model in fallbacks:
            try:
                candidates.append(
                    (provider, provider.prepare(dataclasses.replace(request, model=fallback_model)))
                )
            except VidgateError as exc:  # a fallback that cannot take these values is passed over
                log.info("fallback_skipped", provider=provider.name, reason=exc.message)
        image = None
        if request.input_reference is not None:
            image = await fetch_image(request.input_reference, policy=self.limits.url_policy)
        params = dict(prepared.params)
        if body.get("fallbacks"):
            params["fallbacks"] = body["fallbacks"]
        if image is not None:
            params["input_image"] = True  # the image itself is not kept: such a job is never resubmitted
        job = self._new_job(caller, primary, prepared, body["prompt"], params, None)
        return await self._submit(job, candidates, None, image, Capability.CREATE, caller)

    async def _remix(self, caller: Caller, video_id: str, body: dict[str, Any]) -> JobRecord:
        source = await self._job(caller.tenant, video_id, Capability.REMIX)
        if source.status != JobStatus.COMPLETED:
            raise bad_request(
                f"video {video_id} is {source.status.value}; only a completed video can be "
                "remixed: poll it until its status is completed",
                code="video_not_completed",
                param="video_id",
                provider=source.provider,
                request_type=Capability.REMIX.value,
            )
        provider = self.providers.offered[source.provider]
        prepared = provider.prepare_remix(source, body["prompt"])
        job = self._new_job(
            caller, provider, prepared, body["prompt"], dict(prepared.params), source.public_id
        )
        return await self._submit(job, [(provider, prepared)], source, None, Capability.REMIX, caller)

    def _new_job(
        self,
        caller: Caller,
        provider: VideoProvider,
        prepared: PreparedJob,
        prompt: str,
        params: dict[str, Any],
        remixed_from: str | None,
    ) -> JobRecord:
        return JobRecord(
            id=new_job_id(),
            tenant=caller.tenant,
            key_id=caller.key_id,
            provider=provider.name,
            model=prepared.model,
            status=JobStatus.QUEUED,
            prompt=prompt,
            seconds=prepared.seconds,
            size=prepared.size,
            created_at=int(time.time()),
            params=params,
            remixed_from=remixed_from,
            submit_state=SubmitState.NONE if provider.runs_locally else SubmitState.SUBMITTING,
        )

    async def _check_quota(self, caller: Caller) -> None:
        if caller.max_active_jobs is not None:
            mine = await self.store.count_active(caller.tenant, caller.key_id)
            if mine >= caller.max_active_jobs:
                raise VidgateError(
                    429,
                    "too_many_active_jobs",
                    f"this API key already has {mine} queued or in-progress jobs (its limit is "
                    f"{caller.max_active_jobs}); wait for some to finish",
                    headers={"Retry-After": "5"},
                    error_type="policy_active_job_limit",
                )
        active = await self.store.count_active(caller.tenant)
        if active >= self.limits.max_active_jobs_per_tenant:
            raise VidgateError(
                429,
                "too_many_active_jobs",
                f"this API key already has {active} queued or in-progress jobs (the limit is "
                f"{self.limits.max_active_jobs_per_tenant}); wait for some to finish",
                headers={"Retry-After": "5"},
                error_type="policy_active_job_limit",
            )

    async def _submit(
        self,
        job: JobRecord,
        candidates: list[tuple[VideoProvider, PreparedJob]],
        source: JobRecord | None,
        image: ImageInput | None,
        capability: Capability,
        caller: Caller,
    ) -> JobRecord:
        """Record the job, then offer it to each candidate in turn; record who took it.

        The row is written (leased by this request) before any upstream call, and the upstream
        id after it, so a crash in between is resolved by the worker without submitting twice.
        """
        await self._check_quota(caller)
        if job.submit_state == SubmitState.NONE:
            await self.store.insert(job)
            self.on_new_job()
            return job
        owner = f"api-{uuid.uuid4().hex[:16]}"
        await self.store.insert(job, lease_owner=owner, lease_seconds=self.limits.submit_timeout_seconds)
        failure: UpstreamError | None = None
        for provider, prepared in candidates:
            taken = dataclasses.replace(
                job,
                provider=provider.name,
                model=prepared.model,
                seconds=prepared.seconds,
                size=prepared.size,
                params={**job.params, **prepared.params},
            )
            if provider.runs_locally:  # falling back to the embedded renderer
                taken = dataclasses.replace(taken, submit_state=SubmitState.NONE)
                await self._assign(taken, owner, None)
                self.on_new_job()
                return taken
            try:
                submitted = await provider.submit(taken, source, image)
            except UpstreamError as exc:
                if exc.ambiguous:  # sent, no answer: the worker looks it up rather than resubmitting
                    await self._assign(taken, owner, time.time())
                    self.on_new_job()
                    log.warning("submit_ambiguous", provider=provider.name, job_id=job.id)
                    return taken
                failure = exc
                log.warning(
                    "submit_failed", provider=provider.name, status=exc.status, error=exc.message[:300]
                )
                if worth_a_fallback(exc):
                    continue
                break
            taken = dataclasses.replace(
                taken,
                submit_state=SubmitState.SUBMITTED,
                upstream_id=submitted.upstream_id,
                upstream=submitted.state,
            )
            await self._assign(taken, owner, time.time())
            return taken
        await self.store.discard(job.id, owner)  # nobody took it: no job was created
        assert failure is not None
        raise failure.to_vidgate(capability.value)

    async def _assign(self, job: JobRecord, owner: str, next_run_at: float | None) -> None:
        await self.store.assign(
            job.id,
            owner,
            provider=job.provider,
            model=job.model,
            seconds=job.seconds,
            size=job.size,
            params=job.params,
            submit_state=job.submit_state,
            upstream_id=job.upstream_id,
            upstream=job.upstream,
            next_run_at=next_run_at,
        )

    async def retrieve(self, tenant: str, video_id: str) -> JobRecord:
        return await self._job(tenant, video_id, Capability.RETRIEVE)

    async def list(
        self, tenant: str, provider: str | None, *, after: str | None, limit: int, order: str
    ) -> ListPage:
        if provider is not None:
            self.provider(provider, Capability.LIST)
        cursor = None
        if after and len(after) > 200:
            raise bad_request(
                "after must be a video id from a previous page (at most 200 characters)", param="after"
            )
        if after:
            cursor = parse_video_id(after, param="after").job_id if ":" in after else after
        return await self.store.list(tenant, provider, after=cursor, limit=limit, descending=order != "asc")

    async def delete(self, tenant: str, video_id: str) -> JobRecord:
        """The gateway owns the job, so delete always removes our copy; the upstream job is
        deleted or cancelled too where the provider can (a provider error keeps the job)."""
        job = await self._job(tenant, video_id, Capability.RETRIEVE)
        provider = self.providers.offered[job.provider]
        if provider.supports(Capability.DELETE) and job.upstream_id:
            try:
                await provider.cancel(job)
            except UpstreamError as exc:
                raise exc.to_vidgate(Capability.DELETE.value) from exc
        deleted = await self.store.delete(tenant, job.id, job.provider)
        if deleted is None:
            raise not_found(f"no video {video_id!r} for this API key", code="video_not_found")
        await self.assets.delete(job.id)
        return deleted

    async def usage(self, tenant: str, since: float = 0) -> list[tuple[str, str, str, int, int]]:
        return await self.store.usage(tenant, since)

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
        asset = await self.assets.open(job.id, meta) if meta else None
        if asset is None:
            raise not_found(
                f"video {video_id} has no {variant} variant available",
                code="variant_not_found",
                param="variant",
                provider=job.provider,
            )
        return asset
