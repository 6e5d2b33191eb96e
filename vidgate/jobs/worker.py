"""The loop that claims jobs under a lease and advances them; runs inside the server by default."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import threading
import time
import uuid
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import structlog

from .. import render
from ..assets import AssetStore
from ..config import Settings
from ..domain import JobRecord, JobStatus, SubmitState, is_job_id, parse_video_id
from ..providers import (
    Abandoned,
    Completed,
    Failed,
    JobContext,
    NotSubmitted,
    Outcome,
    Pending,
    Submitted,
    VideoProvider,
)
from ..render import RenderCancelled
from ..store import JobStore
from ..telemetry import tracing
from ..telemetry.metrics import Metrics
from ..upstream import UpstreamError

T = TypeVar("T")
log = structlog.get_logger("vidgate.worker")

MAX_ATTEMPTS = 5  # runs in a row that end without progress (crashes, failed polls)
HEARTBEAT_SECONDS = 0.5


def poll_backoff(provider: VideoProvider, job: JobRecord) -> Pending:
    """A poll or lookup that failed: try again later, longer each time, counted towards giving up."""
    return Pending(job.status, None, min(60.0, provider.poll_interval * 2**job.attempts), healthy=False)


def _storage_message(exc: OSError) -> str:
    return (
        f"the gateway could not write the video's files ({exc.strerror or exc}); "
        "the operator must free or fix the asset storage"
    )


def step_name(provider: VideoProvider, job: JobRecord) -> str:
    """What a worker's step of this job does: render it here, look up a submission whose answer
    was lost (and submit it when proven unsent), or poll the provider (and download on completion)."""
    if provider.runs_locally:
        return "vidgate.job.render"
    return "vidgate.job.recover" if job.submit_state == SubmitState.SUBMITTING else "vidgate.job.poll"


def note_outcome(span: tracing.Span, outcome: Outcome) -> None:
    if isinstance(outcome, Completed):
        span.set_attribute("vidgate.job.status", JobStatus.COMPLETED.value)
    elif isinstance(outcome, Failed):
        span.set_attribute("vidgate.job.status", JobStatus.FAILED.value)
        span.set_attribute("vidgate.error.code", outcome.code)
        tracing.mark_error(span, outcome.message)
    elif isinstance(outcome, Pending):
        span.set_attribute("vidgate.job.status", outcome.status.value)
        if outcome.progress is not None:
            span.set_attribute("vidgate.job.progress", outcome.progress)
    else:
        span.set_attribute("vidgate.job.abandoned", True)


class _LeaseLost(Exception):
    """The job was deleted, or another worker holds it now."""


class _Context(JobContext):
    def __init__(self, worker: Worker, job: JobRecord, staging_dir: Path) -> None:
        self.worker = worker
        self.job = job
        self.staging_dir = staging_dir

    async def run_blocking(self, fn: Callable[[Callable[[float], None]], T]) -> T:
        """Run in the render pool, heartbeating progress; stop the work if the lease is lost."""
        stop = threading.Event()
        latest = [0.0]

        def on_progress(fraction: float) -> None:
            latest[0] = fraction
            if stop.is_set():
                raise RenderCancelled()

        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self.worker.pool, fn, on_progress)
        try:
            while True:
                done, _ = await asyncio.wait({future}, timeout=HEARTBEAT_SECONDS)
                if done:
                    return future.result()
                if self.worker.stopping.is_set():
                    raise _LeaseLost()
                alive = await self.worker.store.heartbeat(
                    self.job.id,
                    self.worker.owner,
                    latest[0] * 100,
                    self.worker.settings.lease_seconds,
                )
                if not alive:
                    raise _LeaseLost()
        except BaseException:
            stop.set()
            with contextlib.suppress(BaseException):
                await future
            raise

    async def source_asset(self, public_id: str, variant: str) -> Path | None:
        ref = parse_video_id(public_id)
        source = await self.worker.store.get(self.job.tenant, ref.job_id, ref.provider)
        if source is None or source.status != JobStatus.COMPLETED or not source.assets:
            return None
        meta = source.assets.get(variant)
        return await self.worker.assets.local_copy(source.id, meta, self.staging_dir) if meta else None

    async def stored_file(self, asset_id: str, meta: dict[str, Any]) -> Path | None:
        if not meta or not is_job_id(asset_id):
            return None
        return await self.worker.assets.local_copy(asset_id, meta, self.staging_dir)


class Worker:
    def __init__(
        self,
        settings: Settings,
        store: JobStore,
        assets: AssetStore,
        providers: dict[str, VideoProvider],
        metrics: Metrics | None = None,
    ) -> None:
        self.settings = settings
        self.metrics = metrics or Metrics()
        self.store = store
        self.assets = assets
        self.providers = providers
        self.owner = f"w-{uuid.uuid4().hex[:16]}"
        self.pool = ThreadPoolExecutor(
            max_workers=settings.render.concurrency + 1, thread_name_prefix="render"
        )
        self.running: dict[str, int] = dict.fromkeys(providers, 0)
        self.stopping = asyncio.Event()
        self.wakeup = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()
        self._loop_task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._loop_task = asyncio.create_task(self._run(), name="vidgate-worker")

    @property
    def alive(self) -> bool:
        return self._loop_task is not None and not self._loop_task.done()

    def poke(self) -> None:
        """A job was created: look for work now rather than at the next poll."""
        self.wakeup.set()

    async def stop(self, grace: float = 10.0) -> None:
        """Stop claiming; running jobs stop at their next heartbeat and release their lease."""
        self.stopping.set()
        self.wakeup.set()
        if self._loop_task:
            await self._loop_task
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=grace)
        self.pool.shutdown(wait=False, cancel_futures=True)

    async def _run(self) -> None:
        base = self.settings.poll_interval_seconds
        longest = max(base, self.settings.idle_poll_max_seconds or 5 * base)
        idle = base
        while not self.stopping.is_set():
            job, next_due = None, None
            free = [name for name, p in self.providers.items() if self.running[name] < p.max_concurrency]
            if free:
                try:
                    job, next_due = await self.store.claim_next(
                        self.owner,
                        free,
                        self.settings.lease_seconds,
                        max_attempts=MAX_ATTEMPTS,
                        horizon=longest,
                    )
                except Exception:
                    log.exception("claim_failed")
            if job is not None:
                idle = base
                self.running[job.provider] += 1
                task = asyncio.create_task(self._process(job), name=f"job-{job.id}")
                self._tasks.add(task)
                task.add_done_callback(lambda t, p=job.provider: self._task_done(t, p))
                continue
            self.wakeup.clear()
            # Until the next step comes due, if that is sooner than the next claim poll: a job's
            # polls keep their interval rather than running up to a claim poll late.
            wait = idle
            if next_due is not None:
                wait = min(wait, max(0.0, next_due - time.time()))
            try:
                await asyncio.wait_for(self.wakeup.wait(), wait)
                idle = base
            except TimeoutError:
                # Nothing new said so: look less often, up to `longest`. What no wake-up announces
                # (a lease run out or handed back by a worker elsewhere, a new job while the
                # database's notifications are down) waits at most that long.
                idle = min(idle * 2, longest)

    def _task_done(self, task: asyncio.Task[None], provider: str) -> None:
        self._tasks.discard(task)
        self.running[provider] -= 1
        self.wakeup.set()

    async def _process(self, job: JobRecord) -> None:
        """One step of a job, as a span of the job's own trace (its parent is the create's span,
        from the job's row), so its log lines carry the job's trace id."""
        provider = self.providers[job.provider]
        with tracing.span(
            step_name(provider, job), parent=job.trace_context or {}, attributes=tracing.job_attributes(job)
        ) as span:
            await self._step(provider, job, span)

    async def _step(self, provider: VideoProvider, job: JobRecord, span: tracing.Span) -> None:
        bound = log.bind(job_id=job.id, provider=job.provider, attempt=job.attempts)
        if provider.runs_locally and not await self.store.start(
            job.id, self.owner, self.settings.lease_seconds
        ):
            return
        started = time.perf_counter()
        try:
            staging = self.assets.new_staging(job.id)
        except OSError as exc:  # disk full, unwritable or missing asset folder
            await self.store.fail(job.id, self.owner, "storage_unavailable", _storage_message(exc))
            bound.error("storage_unavailable", error=str(exc))
            tracing.mark_error(span, exc)
            return
        try:
            outcome = await self._holding_lease(job, self._advance(provider, job, staging))
        except _LeaseLost:
            outcome = Abandoned()
        except UpstreamError as exc:
            tracing.mark_error(span, exc)
            if exc.retryable or exc.status is None:  # the provider is struggling: poll again later
                outcome = poll_backoff(provider, job)
                bound.warning("poll_failed", error=exc.message[:300])
            else:
                outcome = Failed("provider_error", f"{exc.provider}: {exc.message}")
        except Exception as exc:
            tracing.mark_error(span, exc)
            bound.exception("job_failed")
            code = "render_failed" if provider.runs_locally else "provider_error"
            outcome = Failed(code, f"{type(exc).__name__}: {exc}")
        note_outcome(span, outcome)
        if provider.runs_locally and isinstance(outcome, Completed):
            self.metrics.render_seconds.observe(time.perf_counter() - started)
        try:
            await self._settle(job, outcome, bound)
        finally:
            self.assets.discard(staging)

    async def _holding_lease(self, job: JobRecord, work: Coroutine[Any, Any, Outcome]) -> Outcome:
        """Run one step of a job, extending its lease every third of it for as long as the step
        takes (a large download, a slow provider): another worker takes the job over only when
        this one is gone, never while it still works. A lease found lost stops the step."""
        task = asyncio.ensure_future(work)
        every = self.settings.lease_seconds / 3
        try:
            while True:
                done, _ = await asyncio.wait({task}, timeout=every)
                if done:
                    return task.result()
                if self.stopping.is_set() or not await self.store.extend_lease(
                    job.id, self.owner, self.settings.lease_seconds
                ):
                    raise _LeaseLost()
        finally:
            if not task.done():
                task.cancel()
                with contextlib.suppress(BaseException):
                    await task

    async def _advance(self, provider: VideoProvider, job: JobRecord, staging: Path) -> Outcome:
        if not provider.runs_locally:
            if time.time() - job.created_at > self.settings.job_deadline_seconds:
                return Failed(
                    "deadline_exceeded",
                    f"{job.provider} did not finish the job within {self.settings.job_deadline_seconds} s",
                )
            if job.submit_state == SubmitState.SUBMITTING:
                return await self._recover(provider, job)
        outcome = await provider.advance(job, _Context(self, job, staging))
        if isinstance(outcome, Completed) and "video" in outcome.files:
            missing = {"thumbnail", "spritesheet"} - set(outcome.files)
            if missing:  # providers that return only an MP4 still get all three variants
                stills = await asyncio.to_thread(render.derive_stills, outcome.files["video"], staging)
                outcome = Completed({**outcome.files, **{k: v for k, v in stills.items() if k in missing}})
        return outcome

    async def _recover(self, provider: VideoProvider, job: JobRecord) -> Outcome:
        """The create call was recorded but its answer was not (a crash, or a lost answer)."""
        found = await provider.recover(job)
        # Resubmitted only when it can be sent again as it was: not a job made with an image (not
        # kept), nor an edit or extension (sent through submit_operation, with its source).
        resendable = not job.params.get("input_image") and not job.params.get("operation")
        if isinstance(found, NotSubmitted) and resendable:
            source = None
            if job.remixed_from:
                ref = parse_video_id(job.remixed_from)
                source = await self.store.get(job.tenant, ref.job_id, ref.provider)
            if not job.remixed_from or source is not None:
                try:
                    with tracing.span("vidgate.job.submit", attributes=tracing.job_attributes(job)):
                        found = await provider.submit(job, source)  # proven never received: safe
                except UpstreamError as exc:
                    if not exc.ambiguous:
                        return Failed("provider_error", f"{exc.provider}: {exc.message}")
                    return poll_backoff(provider, job)  # look it up again
        if not isinstance(found, Submitted):
            return Failed(
                "submission_unknown",
                f"the answer to this job's submission to {job.provider} was lost, and {job.provider} "
                "offers no way to look it up; it was not submitted again, to avoid a duplicate "
                "charge: create it again",
            )
        submitted = dataclasses.replace(
            job, submit_state=SubmitState.SUBMITTED, upstream_id=found.upstream_id, upstream=found.state
        )
        await self.store.assign(submitted, self.owner, next_run_at=time.time())
        return Abandoned()

    async def _settle(self, job: JobRecord, outcome: Outcome, bound) -> None:  # type: ignore[no-untyped-def]
        if isinstance(outcome, Completed):
            try:
                meta = await self.assets.commit(job.id, outcome.files)
            except OSError as exc:
                await self.store.fail(job.id, self.owner, "storage_unavailable", _storage_message(exc))
                bound.error("storage_unavailable", error=str(exc))
                return
            rate = job.params.get("usd_per_second")
            billed = job.params.get("billed_seconds", job.seconds)  # an extension: its new part
            cost = None if rate is None else round(rate * billed, 6)  # the rate quoted at creation
            if await self.store.complete(job, self.owner, meta, self.settings.retention_seconds, cost):
                self.metrics.video_seconds.labels(job.provider, job.model).inc(job.seconds)
                bound.info("job_completed")
            elif await self.store.get_by_id(job.id) is None:  # deleted meanwhile: leave nothing behind
                await self.assets.delete(job.id)
            # else another worker holds or finished it: its files are the same keys, keep them
        elif isinstance(outcome, Failed):
            await self.store.fail(job.id, self.owner, outcome.code, outcome.message)
            bound.info("job_failed", code=outcome.code)
        elif isinstance(outcome, Pending):
            await self.store.reschedule(
                job.id,
                self.owner,
                status=outcome.status,
                progress=outcome.progress,
                next_run_at=time.time() + outcome.retry_in,
                reset_attempts=outcome.healthy,
            )
        elif self.stopping.is_set():
            await self.store.release(job.id, self.owner)
            bound.info("job_released")
