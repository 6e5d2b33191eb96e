"""The parts that work jobs: the worker (claims, submits local renders, polls, downloads), the
sweeper and the webhook dispatcher, and where they run.

With `--role all` they run on a thread of their own with its own event loop and connections, so
an HTTP server saturated by clients cannot make polls late: the loops share only the GIL, which
Python hands over every few milliseconds. With `--role worker` they are the whole process."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
from dataclasses import dataclass

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine

from ..assets import build_asset_store
from ..catalog import Catalog
from ..config import Settings
from ..jobs import Sweeper, WebhookDispatcher, Worker
from ..providers import ProviderRegistry, build_providers
from ..store import (
    IdempotencyStore,
    JobStore,
    NewJobListener,
    RateLimitStore,
    WebhookOutbox,
    migrate,
    open_engine,
)
from ..telemetry.metrics import Metrics
from ..telemetry.tracing import flush_tracing
from ..upstream import AddressPolicy

log = structlog.get_logger("vidgate.background")

START_TIMEOUT_S = 60.0


def url_policy(settings: Settings) -> AddressPolicy:
    """Which addresses callers' URLs (and webhook URLs) may reach."""
    return AddressPolicy.of(settings.allow_private_urls, settings.allowed_private_networks)


@dataclass
class Background:
    engine: AsyncEngine
    store: JobStore
    providers: ProviderRegistry
    worker: Worker
    sweeper: Sweeper
    webhooks: WebhookDispatcher
    new_jobs: NewJobListener | None  # PostgreSQL: a job created in any process wakes this worker

    def start(self) -> None:
        self.worker.start()
        self.sweeper.start()
        self.webhooks.start()
        if self.new_jobs is not None:
            self.new_jobs.start()

    async def stop(self) -> None:
        if self.new_jobs is not None:
            await self.new_jobs.stop()
        await self.sweeper.stop()
        await self.webhooks.stop()
        await self.worker.stop()
        await self.providers.aclose()
        await self.store.close()


def build_background(settings: Settings, engine: AsyncEngine, metrics: Metrics) -> Background:
    outbox = WebhookOutbox(engine, frozenset(settings.webhooks))
    # lookups are the API's: no point reads here; its transitions go beside the engine when tuned
    store = JobStore(engine, outbox, point_reads=False, direct_writes=settings.library_tuning)
    assets = build_asset_store(settings)
    providers = build_providers(settings, Catalog.load(settings.catalog), metrics)
    worker = Worker(settings, store, assets, providers.offered, metrics)
    return Background(
        engine=engine,
        store=store,
        providers=providers,
        worker=worker,
        sweeper=Sweeper(
            store,
            assets,
            IdempotencyStore(engine, settings.idempotency_ttl_seconds),
            RateLimitStore(engine),
            settings.sweep_interval_seconds,
        ),
        webhooks=WebhookDispatcher(outbox, settings.webhooks, metrics, url_policy(settings)),
        new_jobs=NewJobListener.for_engine(engine, worker.poke),
    )


async def open_background(settings: Settings, metrics: Metrics, *, migrate_first: bool) -> Background:
    engine = open_engine(settings.resolved_database_url, inline_sqlite=settings.library_tuning)
    try:
        if migrate_first:
            await migrate(engine)
        background = build_background(settings, engine, metrics)
    except BaseException:
        await engine.dispose()
        raise
    background.start()
    log.info("jobs_started", providers=sorted(background.providers.offered), worker=background.worker.owner)
    return background


class BackgroundThread:
    """The job parts on their own thread and event loop, started and stopped from the HTTP loop."""

    def __init__(self, settings: Settings, metrics: Metrics) -> None:
        self.settings, self.metrics = settings, metrics
        self._thread = threading.Thread(target=self._main, name="vidgate-jobs", daemon=True)
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._background: Background | None = None

    def start(self) -> None:
        """Blocks until the job parts run (or raises what stopped them)."""
        self._thread.start()
        if not self._ready.wait(START_TIMEOUT_S):
            raise TimeoutError(f"the job worker did not start in {START_TIMEOUT_S:.0f} s")
        if self._error is not None:
            raise self._error

    def _main(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        try:
            self._background = await open_background(self.settings, self.metrics, migrate_first=False)
        except BaseException as exc:
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        try:
            await self._stop.wait()
        finally:
            await self._background.stop()

    @property
    def alive(self) -> bool:
        background = self._background
        return self._thread.is_alive() and background is not None and background.worker.alive

    def poke(self) -> None:
        """A job was created: the worker looks for it now rather than at its next claim poll."""
        if self._loop is not None and self._background is not None:
            with contextlib.suppress(RuntimeError):  # the loop is closing
                self._loop.call_soon_threadsafe(self._background.worker.poke)

    async def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            with contextlib.suppress(RuntimeError):
                self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread.is_alive():
            await asyncio.to_thread(self._thread.join, 30)


class WorkerStartError(RuntimeError):
    """The job parts could not open (database, store or providers): the configuration or what it
    points at is wrong, and starting the process again at once would fail the same way."""


async def serve_jobs(settings: Settings, started: asyncio.Event | None = None) -> None:
    """A worker process: the job parts until SIGTERM or SIGINT, then a graceful stop (running jobs
    release their leases for another worker). `started` is set once they run."""
    try:
        background = await open_background(settings, Metrics(), migrate_first=True)
    except Exception as exc:
        detail = str(exc).splitlines()[0] if str(exc) else ""
        raise WorkerStartError(f"{type(exc).__name__}: {detail}") from exc
    if started is not None:
        started.set()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        log.info("jobs_stopping", worker=background.worker.owner)
        await background.stop()
        flush_tracing()
