"""The video operations, free of HTTP: what handlers call, one method per operation. Refusals are
domain errors; the HTTP layer decides what they look like on the wire."""

from __future__ import annotations

import dataclasses
import functools
import time
from dataclasses import dataclass
from typing import Any

import structlog

from ..assets import Asset, AssetStore
from ..catalog import Catalog, ModelSpec
from ..domain import (
    Caller,
    Character,
    GatewayError,
    InvalidRequest,
    JobRecord,
    JobStatus,
    ListPage,
    NotFound,
    SpendStatus,
    is_character_id,
    is_job_id,
    parse_video_id,
    unsupported_operation,
)
from ..providers import Capability, GenerationRequest, ProviderRegistry, VideoProvider
from ..store import CharacterStore, IdempotencyStore, JobStore, UsageLedger, UsageLine
from ..upstream import AddressPolicy, UpstreamError, fetch_image
from .idempotency import run_idempotent
from .submission import Submitter, new_job

log = structlog.get_logger("vidgate.service")

VARIANTS = ("video", "thumbnail", "spritesheet")
SPELLINGS = {"sprite_sheet": "spritesheet"}  # Bifrost's spelling of a variant


@dataclass(frozen=True)
class ModelNames:
    """Model names without a provider (OpenAI clients send `sora-2`) and where they go."""

    aliases: dict[str, str] = dataclasses.field(default_factory=dict)
    default: str = "local/default"  # the model of a request that names none


class VideoService:
    def __init__(
        self,
        store: JobStore,
        assets: AssetStore,
        providers: ProviderRegistry,
        idempotency: IdempotencyStore,
        usage: UsageLedger,
        submitter: Submitter,
        *,
        catalog: Catalog,
        url_policy: AddressPolicy,
        model_names: ModelNames,
        characters: CharacterStore | None = None,
    ) -> None:
        self.characters = characters
        self.catalog = catalog
        self.store = store
        self.assets = assets
        self.providers = providers
        self.idempotency = idempotency
        self.usage_ledger = usage
        self.submitter = submitter
        self.url_policy = url_policy
        self.model_names = model_names

    # --- resolution -----------------------------------------------------------------------

    def provider(self, name: str, capability: Capability, *, param: str = "provider") -> VideoProvider:
        provider = self.providers.offered.get(name)
        if provider is None and name in self.providers.unconfigured:
            raise InvalidRequest(
                f"provider {name!r} is not configured on this gateway: the operator must set "
                f"{self.providers.unconfigured[name]}",
                code="provider_not_configured",
                param=param,
                provider=name,
                request_type=capability.value,
            )
        if provider is None:
            raise InvalidRequest(
                f"provider {name!r} is not available on this gateway; available: "
                + ", ".join(sorted(self.providers.offered)),
                code="unknown_provider",
                param=param,
                request_type=capability.value,
            )
        if not provider.supports(capability):
            raise unsupported_operation(capability.value, name)
        return provider

    async def _job(self, tenant: str, video_id: str, capability: Capability) -> JobRecord:
        ref = parse_video_id(video_id)
        self.provider(ref.provider, capability, param="video_id")
        job = await self.store.get(tenant, ref.job_id, ref.provider) if is_job_id(ref.job_id) else None
        if job is None:  # another tenant's job is indistinguishable from none at all
            raise NotFound(
                f"no video {video_id!r} for this API key; list your {ref.provider} videos to find yours",
                code="video_not_found",
                provider=ref.provider,
                request_type=capability.value,
            )
        return job

    def check_lifecycle(self, provider: str, model: str, param: str) -> None:
        """A retired model is refused before anything is sent upstream, naming its date and successor."""
        spec = self.catalog.model(provider, model)
        if spec is None or not spec.retired():
            return
        when = f" on {spec.retires_on.isoformat()}" if spec.retires_on else ""
        instead = f"; use {spec.successor}" if spec.successor else ""
        note = f" ({spec.note.rstrip('.')})" if spec.note else ""
        raise InvalidRequest(
            f"{spec.id} was retired{when}{instead}{note}",
            code="model_retired",
            param=param,
            provider=provider,
            model=spec.id,
            details={
                "retired_on": spec.retires_on.isoformat() if spec.retires_on else None,
                "successor": spec.successor,
            },
        )

    def resolve_model(self, model: str | None) -> str:
        """`provider/model` as is; an alias (`sora-2`) to its target; none at all to the default."""
        if not model:
            return self.model_names.default
        if "/" in model:
            return model
        target = self.model_names.aliases.get(model)
        if target is None:
            raise InvalidRequest(
                f"model {model!r} has no provider: use provider/model (e.g. local/default) or one of "
                + ", ".join(sorted(self.model_names.aliases)),
                param="model",
                code="model_not_found",
            )
        return target

    # --- operations -----------------------------------------------------------------------

    async def create(
        self, caller: Caller, body: dict[str, Any], idempotency_key: str | None = None
    ) -> JobRecord:
        make = functools.partial(self._create, caller, body)
        request = {"op": "create", "body": body}
        return await run_idempotent(
            self.idempotency, self.store.get_by_id, caller.tenant, idempotency_key, request, make
        )

    async def remix(
        self, caller: Caller, video_id: str, body: dict[str, Any], idempotency_key: str | None = None
    ) -> JobRecord:
        make = functools.partial(self._remix, caller, video_id, body)
        request = {"op": "remix", "video_id": video_id, "body": body}
        return await run_idempotent(
            self.idempotency, self.store.get_by_id, caller.tenant, idempotency_key, request, make
        )

    async def _create(self, caller: Caller, body: dict[str, Any]) -> JobRecord:
        body = {**body, "model": self.resolve_model(body.get("model"))}
        provider_name, _, model = body["model"].partition("/")
        self.check_lifecycle(provider_name, model, "model")
        primary = self.provider(provider_name, Capability.CREATE, param="model")
        fallbacks = []
        for fallback in body.get("fallbacks") or []:
            self.check_lifecycle(fallback["provider"], fallback["model"], "fallbacks")
            fallbacks.append(
                (self.provider(fallback["provider"], Capability.CREATE, param="fallbacks"), fallback["model"])
            )
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
        cast = await self._cast(caller.tenant, body.get("characters") or [], primary)
        if cast:  # fallbacks that cannot cast them are passed over
            fallbacks = [(p, m) for p, m in fallbacks if p.supports(Capability.CHARACTERS)]
        candidates = [(primary, prepared)]
        for provider, fallback_model in fallbacks:
            try:
                candidates.append(
                    (provider, provider.prepare(dataclasses.replace(request, model=fallback_model)))
                )
            except GatewayError as exc:  # a fallback that cannot take these values is passed over
                log.info("fallback_skipped", provider=provider.name, reason=exc.message)
        image = None
        if request.input_reference is not None:
            image = await fetch_image(request.input_reference, policy=self.url_policy)
        params = dict(prepared.params)
        if body.get("fallbacks"):
            params["fallbacks"] = body["fallbacks"]
        if image is not None:
            params["input_image"] = True  # the image itself is not kept: such a job is never resubmitted
        if cast:
            params["characters"] = [c.cast_entry() for c in cast]
        job = new_job(caller, primary, prepared, body["prompt"], params, None)
        return await self.submitter.submit(job, candidates, None, image, Capability.CREATE, caller)

    async def _cast(self, tenant: str, ids: list[str], provider: VideoProvider) -> list[Character]:
        """The caller's characters a create casts (each must be theirs: another's is a 404)."""
        if not ids:
            return []
        if not provider.supports(Capability.CHARACTERS):
            raise unsupported_operation(Capability.CHARACTERS.value, provider.name)
        cast = []
        for character_id in dict.fromkeys(ids):
            found = None
            if self.characters is not None and is_character_id(character_id):
                found = await self.characters.get(tenant, character_id)
            if found is None:
                raise NotFound(
                    f"no character {character_id!r} for this API key",
                    code="character_not_found",
                    param="characters",
                    request_type=Capability.CHARACTERS.value,
                )
            cast.append(found)
        return cast

    async def _remix(self, caller: Caller, video_id: str, body: dict[str, Any]) -> JobRecord:
        source = await self._job(caller.tenant, video_id, Capability.REMIX)
        completed_source(source, video_id, Capability.REMIX.value, param="video_id", use="remixed")
        self.check_lifecycle(source.provider, source.model, "video_id")
        provider = self.providers.offered[source.provider]
        prepared = provider.prepare_remix(source, body["prompt"])
        job = new_job(caller, provider, prepared, body["prompt"], dict(prepared.params), source.public_id)
        return await self.submitter.submit(
            job, [(provider, prepared)], source, None, Capability.REMIX, caller
        )

    async def retrieve(self, tenant: str, video_id: str) -> JobRecord:
        return await self._job(tenant, video_id, Capability.RETRIEVE)

    async def list(
        self, tenant: str, provider: str | None, *, after: str | None, limit: int, order: str
    ) -> ListPage:
        if provider is not None:
            self.provider(provider, Capability.LIST)
        if after and len(after) > 200:
            raise InvalidRequest(
                "after must be a video id from a previous page (at most 200 characters)", param="after"
            )
        cursor = None
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
                raise exc.to_domain(Capability.DELETE.value) from exc
        deleted = await self.store.delete(tenant, job.id, job.provider)
        if deleted is None:
            raise NotFound(f"no video {video_id!r} for this API key", code="video_not_found")
        await self.assets.delete(job.id)
        return deleted

    def models(self) -> list[tuple[VideoProvider, ModelSpec | None]]:
        """Every model of every offered provider, as the catalog knows them (retired ones too, with
        their dates); an open provider also gets one entry without a spec: any model it has."""
        found: list[tuple[VideoProvider, ModelSpec | None]] = []
        for name, provider in sorted(self.providers.offered.items()):
            entry = self.catalog.entry(name)
            found += [(provider, spec) for _, spec in sorted(entry.models.items())]
            if entry.open_models:
                found.append((provider, None))
        return found

    async def usage(self, caller: Caller, since: float = 0) -> tuple[list[UsageLine], list[SpendStatus]]:
        """The caller's tenant's spend, and the budgets the caller's jobs count against."""
        lines = await self.usage_ledger.summary(caller.tenant, since)
        return lines, await self.submitter.spend.status(caller)

    async def open_asset(self, tenant: str, video_id: str, variant: str) -> Asset:
        variant = SPELLINGS.get(variant, variant)
        job = await self._job(tenant, video_id, Capability.DOWNLOAD)
        if job.status != JobStatus.COMPLETED:
            detail = (
                f"it failed ({job.error_code}: {job.error_message})"
                if job.status == JobStatus.FAILED
                else f"it is {job.status.value} ({job.progress:.0f}%); "
                "retrieve it until its status is completed"
            )
            raise NotFound(
                f"video {video_id} is not yet available: {detail}",
                code="video_not_ready",
                provider=job.provider,
                request_type=Capability.DOWNLOAD.value,
            )
        if job.expires_at is not None and job.expires_at <= time.time():
            raise NotFound(
                f"video {video_id} expired at {job.expires_at} (Unix time) and its files were removed; "
                "generate it again",
                code="video_expired",
                provider=job.provider,
            )
        meta = (job.assets or {}).get(variant)
        asset = await self.assets.open(job.id, meta) if meta else None
        if asset is None:
            raise NotFound(
                f"video {video_id} has no {variant} variant available",
                code="variant_not_found",
                param="variant",
                provider=job.provider,
            )
        return asset


def completed_source(
    job: JobRecord, video_id: str, request_type: str, *, param: str = "video", use: str = "used"
) -> JobRecord:
    """The source of a remix, edit or extension, refused unless it finished."""
    if job.status != JobStatus.COMPLETED:
        raise InvalidRequest(
            f"video {video_id} is {job.status.value}; only a completed video can be {use}: wait until "
            "its status is completed",
            code="video_not_completed",
            param=param,
            provider=job.provider,
            request_type=request_type,
        )
    return job
