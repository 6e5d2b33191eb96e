"""Making a job: check the caller's limits, record it, then offer it to each candidate provider in
turn (the one asked for, then its fallbacks) and record who took it.

The row is written (leased by this request) before any upstream call, and the upstream id after
it, so a crash in between is resolved by the worker without submitting twice.
"""

from __future__ import annotations

import dataclasses
import time
import uuid
from collections.abc import Callable
from typing import Any

import structlog

from ..domain import Caller, ImageInput, JobRecord, JobStatus, LimitExceeded, SubmitState, new_job_id
from ..providers import Capability, PreparedJob, SourceVideo, Submitted, VideoProvider
from ..store import JobStore, ReservationRefused, SlotRefused
from ..telemetry import tracing
from ..upstream import UpstreamError
from .spend import SpendPolicy

log = structlog.get_logger("vidgate.service")


def worth_a_fallback(error: UpstreamError) -> bool:
    """Retryable trouble (after retries), a 5xx, no answer, the provider refusing the gateway's own
    account (credentials, permission, balance: nothing the caller can fix, another provider may
    serve), or the provider refusing the model."""
    if error.retryable or error.status is None or error.status >= 500:
        return True
    if error.status in (401, 402, 403):
        return True
    return error.status in (400, 404, 422) and "model" in error.message.lower()


def new_job(
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


class Submitter:
    def __init__(
        self,
        store: JobStore,
        spend: SpendPolicy,
        *,
        max_active_jobs_per_tenant: int,
        submit_timeout_seconds: float,
        on_new_job: Callable[[], None],
    ) -> None:
        self.store = store
        self.spend = spend
        self.max_active_jobs_per_tenant = max_active_jobs_per_tenant
        self.submit_timeout_seconds = submit_timeout_seconds
        self.on_new_job = on_new_job

    async def active_limit(self, caller: Caller) -> int:
        """The tenant's active-job limit: its own if the admin API set one, else the gateway's."""
        policy = await self.spend.tenant(caller.tenant)
        if policy is not None and policy.max_active_jobs is not None:
            return policy.max_active_jobs
        return self.max_active_jobs_per_tenant

    async def quote(
        self, job: JobRecord, candidates: list[tuple[VideoProvider, PreparedJob]], caller: Caller
    ) -> tuple[JobRecord, list[float | None]]:
        """Each candidate's price per second, and the job with its budget reservations: the most
        any candidate would cost, held until the job settles."""
        audio = job.params.get("audio")
        rates = [self.spend.rate(p.name, prepared, audio) for p, prepared in candidates]
        costs = [
            None if r is None else r * (prepared.billed_seconds or prepared.seconds)
            for r, (_, prepared) in zip(rates, candidates, strict=True)
        ]
        estimate = None if None in costs else max(costs, default=0.0)
        unpriced = next(
            (f"{p.name}/{pr.model}" for (p, pr), c in zip(candidates, costs, strict=True) if c is None),
            job.model,
        )
        reservations = await self.spend.reservations(caller, estimate, unpriced)
        if not reservations:
            return job, rates
        held = tuple(r.to_dict() for r in reservations)
        return dataclasses.replace(job, reserved_usd=round(estimate or 0.0, 6), reservations=held), rates

    async def submit(
        self,
        job: JobRecord,
        candidates: list[tuple[VideoProvider, PreparedJob]],
        source: JobRecord | None,
        image: ImageInput | None,
        capability: Capability,
        caller: Caller,
        operation: SourceVideo | None = None,
    ) -> JobRecord:
        """The job's span begins its trace (a child of the request's); its context is stored with
        the job, so every later step, in whichever process, joins the same trace. `operation`: the
        source of an edit or extension (`job.params["operation"]`)."""
        with tracing.span("vidgate.job.create", attributes=tracing.job_attributes(job)) as span:
            job = dataclasses.replace(job, trace_context=tracing.carrier())
            taken = await self._submit(job, candidates, source, image, capability, caller, operation)
            span.set_attributes(tracing.job_attributes(taken))
            return taken

    async def _submit(
        self,
        job: JobRecord,
        candidates: list[tuple[VideoProvider, PreparedJob]],
        source: JobRecord | None,
        image: ImageInput | None,
        capability: Capability,
        caller: Caller,
        operation: SourceVideo | None,
    ) -> JobRecord:
        tenant_limit = await self.active_limit(caller)
        job, rates = await self.quote(job, candidates, caller)
        job = dataclasses.replace(job, params={**job.params, "usd_per_second": rates[0]})
        owner = None if job.submit_state == SubmitState.NONE else f"api-{uuid.uuid4().hex[:16]}"
        try:
            await self.store.insert(
                job,
                lease_owner=owner,
                lease_seconds=self.submit_timeout_seconds,
                tenant_limit=tenant_limit,
                key_limit=caller.max_active_jobs,
            )
        except SlotRefused as full:
            whose = "its limit" if full.scope == "key" else "the limit"
            raise too_many_active_jobs(full.active, f"{whose} is {full.limit}") from None
        except ReservationRefused as refused:
            raise self.spend.refusal(refused, job.reserved_usd or 0.0) from None
        if owner is None:
            self.on_new_job()
            return job
        failure: UpstreamError | None = None
        for (provider, prepared), rate in zip(candidates, rates, strict=True):
            taken = dataclasses.replace(
                job,
                provider=provider.name,
                model=prepared.model,
                seconds=prepared.seconds,
                size=prepared.size,
                params={**job.params, **prepared.params, "usd_per_second": rate},
            )
            if provider.runs_locally:  # falling back to the embedded renderer
                taken = dataclasses.replace(taken, submit_state=SubmitState.NONE)
                await self.store.assign(taken, owner)
                self.on_new_job()
                return taken
            try:
                with tracing.span("vidgate.job.submit", attributes=tracing.job_attributes(taken)) as span:
                    submitted = await self._send(provider, taken, source, image, operation)
                    span.set_attribute("vidgate.upstream_id", submitted.upstream_id)
            except UpstreamError as exc:
                if exc.ambiguous:  # sent, no answer: the worker looks it up rather than resubmitting
                    await self.store.assign(taken, owner, next_run_at=time.time())
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
            # First look one poll interval on: no provider finishes a video sooner, and a poll
            # at once would only double the upstream calls of a burst of creates.
            await self.store.assign(taken, owner, next_run_at=time.time() + provider.poll_interval)
            return taken
        await self.store.discard(job.id, owner)  # nobody took it: no job was created
        assert failure is not None
        raise failure.to_domain(capability.value)

    @staticmethod
    async def _send(
        provider: VideoProvider,
        job: JobRecord,
        source: JobRecord | None,
        image: ImageInput | None,
        operation: SourceVideo | None,
    ) -> Submitted:
        if operation is not None:
            return await provider.submit_operation(job, operation)
        return await provider.submit(job, source, image)  # type: ignore[call-arg]


def too_many_active_jobs(active: int, limit: str) -> LimitExceeded:
    return LimitExceeded(
        f"this API key already has {active} queued or in-progress jobs ({limit}); wait for some to finish",
        code="too_many_active_jobs",
        retry_after=5,
        error_type="policy_active_job_limit",
    )
