"""The composition root: every part of the gateway built from the settings, wired, started and
stopped in order. The HTTP app holds a Gateway (the request-serving parts); the job parts
(background.py) run beside it on their own thread (`--role all`) or in worker processes."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine

from ..assets import AssetStore, build_asset_store
from ..catalog import Catalog
from ..config import Settings
from ..providers import ProviderRegistry, build_providers
from ..service import (
    AdminKeys,
    AdminService,
    Authenticator,
    CharacterService,
    ModelNames,
    RateLimiter,
    SpendPolicy,
    Submitter,
    VideoOperations,
    VideoService,
)
from ..store import (
    ApiKeyStore,
    CharacterStore,
    IdempotencyStore,
    JobStore,
    RateLimitStore,
    SpendCounters,
    TenantStore,
    UsageLedger,
    WebhookOutbox,
    migrate,
    open_engine,
)
from ..telemetry.metrics import Metrics
from .background import BackgroundThread, url_policy
from .roles import ProcessPlan, Role, RolePlanError, plan_processes

__all__ = [
    "Gateway",
    "ProcessPlan",
    "Role",
    "RolePlanError",
    "build_gateway",
    "open_gateway",
    "plan_processes",
    "url_policy",
]

log = structlog.get_logger("vidgate.gateway")


@dataclass
class Gateway:
    settings: Settings
    metrics: Metrics
    store: JobStore
    assets: AssetStore
    providers: ProviderRegistry
    videos: VideoService
    operations: VideoOperations  # edits and extensions
    characters: CharacterService
    admin: AdminService
    authenticator: Authenticator
    admin_keys: AdminKeys
    limiter: RateLimiter
    api_keys: ApiKeyStore
    jobs: BackgroundThread | None  # None: a separate worker process works the jobs (`--role api`)

    @property
    def jobs_alive(self) -> bool:
        """Readiness: the job worker of this process runs, where this process has one."""
        return self.jobs is None or self.jobs.alive

    def poke_worker(self) -> None:
        if self.jobs is not None:
            self.jobs.poke()

    async def start(self) -> None:
        if self.jobs is not None:
            await asyncio.to_thread(self.jobs.start)

    async def stop(self) -> None:
        if self.jobs is not None:
            await self.jobs.stop()
        await self.providers.aclose()
        await self.store.close()


def build_gateway(
    settings: Settings, engine: AsyncEngine, metrics: Metrics, jobs: BackgroundThread | None
) -> Gateway:
    outbox = WebhookOutbox(engine, frozenset(settings.webhooks))
    tuned = settings.library_tuning
    store = JobStore(engine, outbox, point_reads=tuned, direct_writes=tuned)
    assets = build_asset_store(settings)
    catalog = Catalog.load(settings.catalog)
    providers = build_providers(settings, catalog, metrics)
    idempotency = IdempotencyStore(engine, settings.idempotency_ttl_seconds)
    api_keys = ApiKeyStore(engine)
    usage = UsageLedger(engine)
    rate_limits = RateLimitStore(engine)
    tenants = TenantStore(engine)
    spend = SpendPolicy(catalog, tenants, SpendCounters(engine))
    characters = CharacterStore(engine)
    submitter = Submitter(
        store,
        spend,
        max_active_jobs_per_tenant=settings.max_active_jobs_per_tenant,
        submit_timeout_seconds=settings.submit_timeout_seconds,
        on_new_job=jobs.poke if jobs is not None else _nothing,
    )
    videos = VideoService(
        store,
        assets,
        providers,
        idempotency,
        usage,
        submitter,
        catalog=catalog,
        url_policy=url_policy(settings),
        model_names=ModelNames(settings.model_aliases, settings.default_model),
        characters=characters,
    )
    return Gateway(
        settings=settings,
        metrics=metrics,
        store=store,
        assets=assets,
        providers=providers,
        videos=videos,
        operations=VideoOperations(videos),
        characters=CharacterService(characters, videos),
        admin=AdminService(api_keys, tenants, spend, usage),
        authenticator=Authenticator.from_settings(settings, api_keys),
        admin_keys=AdminKeys(settings.admin_keys),
        limiter=RateLimiter(rate_limits),
        api_keys=api_keys,
        jobs=jobs,
    )


def _nothing() -> None:
    """`--role api`: worker processes find new jobs at their next claim poll."""


async def open_gateway(settings: Settings, metrics: Metrics, plan: ProcessPlan | None = None) -> Gateway:
    """Connect, migrate, build and start; with `--role all`, the job parts on their own thread."""
    role = plan.role if plan is not None else Role.ALL
    engine = open_engine(settings.resolved_database_url, inline_sqlite=settings.library_tuning)
    await migrate(engine)
    jobs = BackgroundThread(settings, metrics) if role is Role.ALL else None
    gateway = build_gateway(settings, engine, metrics, jobs)
    try:
        await gateway.start()
    except BaseException:
        await gateway.stop()
        raise
    log.info(
        "started",
        role=role.value,
        database=engine.url.render_as_string(hide_password=True),
        providers=sorted(gateway.providers.offered),
        keys=len(gateway.authenticator),
    )
    return gateway
