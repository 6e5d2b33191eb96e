"""The composition root: every part of the gateway built from the settings, wired, started and
stopped in order. The HTTP app holds one; so does a process that only works jobs."""

from __future__ import annotations

from dataclasses import dataclass

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine

from .assets import AssetStore, build_asset_store
from .catalog import Catalog
from .config import Settings
from .jobs import Sweeper, WebhookDispatcher, Worker
from .providers import ProviderRegistry, build_providers
from .service import (
    AdminKeys,
    AdminService,
    Authenticator,
    ModelNames,
    RateLimiter,
    SpendPolicy,
    Submitter,
    VideoService,
)
from .store import (
    ApiKeyStore,
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
from .telemetry.metrics import Metrics
from .upstream import AddressPolicy

log = structlog.get_logger("vidgate.gateway")


@dataclass
class Gateway:
    settings: Settings
    metrics: Metrics
    store: JobStore
    assets: AssetStore
    providers: ProviderRegistry
    videos: VideoService
    admin: AdminService
    authenticator: Authenticator
    admin_keys: AdminKeys
    limiter: RateLimiter
    api_keys: ApiKeyStore
    worker: Worker
    sweeper: Sweeper
    webhooks: WebhookDispatcher

    async def start(self) -> None:
        self.worker.start()
        self.sweeper.start()
        self.webhooks.start()

    async def stop(self) -> None:
        await self.sweeper.stop()
        await self.webhooks.stop()
        await self.worker.stop()
        await self.providers.aclose()
        await self.store.close()


def url_policy(settings: Settings) -> AddressPolicy:
    """Which addresses callers' URLs (and webhook URLs) may reach."""
    return AddressPolicy.of(settings.allow_private_urls, settings.allowed_private_networks)


def build_gateway(settings: Settings, engine: AsyncEngine, metrics: Metrics) -> Gateway:
    outbox = WebhookOutbox(engine, frozenset(settings.webhooks))
    store = JobStore(engine, outbox)
    assets = build_asset_store(settings)
    catalog = Catalog.load(settings.catalog)
    providers = build_providers(settings, catalog, metrics)
    idempotency = IdempotencyStore(engine, settings.idempotency_ttl_seconds)
    api_keys = ApiKeyStore(engine)
    usage = UsageLedger(engine)
    rate_limits = RateLimitStore(engine)
    worker = Worker(settings, store, assets, providers.offered, metrics)
    tenants = TenantStore(engine)
    spend = SpendPolicy(catalog, tenants, SpendCounters(engine))
    submitter = Submitter(
        store,
        spend,
        max_active_jobs_per_tenant=settings.max_active_jobs_per_tenant,
        submit_timeout_seconds=settings.submit_timeout_seconds,
        on_new_job=worker.poke,
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
    )
    return Gateway(
        settings=settings,
        metrics=metrics,
        store=store,
        assets=assets,
        providers=providers,
        videos=videos,
        admin=AdminService(api_keys, tenants, spend, usage),
        authenticator=Authenticator.from_settings(settings, api_keys),
        admin_keys=AdminKeys(settings.admin_keys),
        limiter=RateLimiter(rate_limits),
        api_keys=api_keys,
        worker=worker,
        sweeper=Sweeper(store, assets, idempotency, rate_limits, settings.sweep_interval_seconds),
        webhooks=WebhookDispatcher(outbox, settings.webhooks, metrics, url_policy(settings)),
    )


async def open_gateway(settings: Settings, metrics: Metrics) -> Gateway:
    """Connect, migrate, build and start."""
    engine = open_engine(settings.resolved_database_url, inline_sqlite=settings.library_tuning)
    await migrate(engine)
    gateway = build_gateway(settings, engine, metrics)
    await gateway.start()
    log.info(
        "started",
        database=engine.url.render_as_string(hide_password=True),
        providers=sorted(gateway.providers.offered),
        keys=len(gateway.authenticator),
        worker=gateway.worker.owner,
    )
    return gateway
