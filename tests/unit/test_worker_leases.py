"""A worker keeps the jobs it is still working on, however long a step takes, and a worker that
lost a job never deletes the files of the worker that finished it."""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import time
from pathlib import Path
from typing import ClassVar

from tests.support.job_context import StagingContext
from tests.unit.test_store import job as new_job
from vidgate.assets import build_asset_store
from vidgate.config import Settings
from vidgate.domain import JobRecord, JobStatus, SubmitState
from vidgate.jobs import Worker
from vidgate.providers import Completed, JobContext, Outcome, Pending, VideoProvider
from vidgate.providers.base import Capability, GenerationRequest, PreparedJob
from vidgate.store import JobStore, migrate, open_engine

LEASE_S = 1.0


class SlowDownload(VideoProvider):
    """An upstream job whose one step (the download) takes several leases."""

    name: ClassVar[str] = "slow"
    capabilities: ClassVar[frozenset[Capability]] = frozenset()
    poll_interval = 0.05

    def __init__(self, step_seconds: float) -> None:
        self.step_seconds = step_seconds

    def prepare(self, request: GenerationRequest) -> PreparedJob:
        raise NotImplementedError  # jobs are inserted as already submitted

    async def advance(self, job: JobRecord, ctx: JobContext) -> Outcome:
        await asyncio.sleep(self.step_seconds)
        files = {}
        for variant, name in (("video", "video.mp4"), ("thumbnail", "t.webp"), ("spritesheet", "s.jpg")):
            files[variant] = ctx.staging_dir / name
            files[variant].write_bytes(variant.encode())
        return Completed(files)


async def _setup(tmp_path: Path) -> tuple[Settings, JobStore]:
    settings = Settings(data_dir=tmp_path, lease_seconds=LEASE_S, poll_interval_seconds=0.05)
    engine = open_engine(settings.resolved_database_url)
    await migrate(engine)
    return settings, JobStore(engine)


def _submitted() -> JobRecord:
    return dataclasses.replace(
        new_job(provider="slow"), submit_state=SubmitState.SUBMITTED, upstream_id="up-1"
    )


def test_a_step_longer_than_the_lease_keeps_the_job(tmp_path: Path) -> None:
    async def scenario() -> None:
        settings, store = await _setup(tmp_path)
        worker = Worker(settings, store, build_asset_store(settings), {"slow": SlowDownload(4 * LEASE_S)})
        record = _submitted()
        await store.insert(record)
        worker.start()
        stolen = []
        deadline = time.monotonic() + 15
        try:
            while time.monotonic() < deadline:
                current = await store.get_by_id(record.id)
                assert current is not None
                if current.status is JobStatus.COMPLETED:
                    break
                taken = await store.claim("w-other", ["slow"], LEASE_S, max_attempts=5)
                stolen += [taken] if taken else []
                await asyncio.sleep(0.1)
        finally:
            await worker.stop()
            await store.close()
        assert current.status is JobStatus.COMPLETED and current.attempts == 1
        assert stolen == []  # nobody took over a job its worker was still downloading

    asyncio.run(scenario())


def test_the_worker_that_lost_a_job_keeps_the_winners_files(tmp_path: Path) -> None:
    async def scenario() -> None:
        settings, store = await _setup(tmp_path)
        assets = build_asset_store(settings)
        loser = Worker(settings, store, assets, {"slow": SlowDownload(0)})
        winner = Worker(settings, store, assets, {"slow": SlowDownload(0)})
        try:
            record = _submitted()
            await store.insert(record)
            claimed = await store.claim(loser.owner, ["slow"], 0.01, max_attempts=5)  # then it stalls
            assert claimed is not None
            await asyncio.sleep(0.05)
            taken = await store.claim(winner.owner, ["slow"], LEASE_S, max_attempts=5)
            assert taken is not None
            staging = assets.new_staging(record.id)
            outcome = await SlowDownload(0).advance(taken, StagingContext(staging))
            await winner._settle(taken, outcome, _Log())
            staging = assets.new_staging(record.id)
            late = await SlowDownload(0).advance(claimed, StagingContext(staging))
            await loser._settle(claimed, late, _Log())  # its complete() loses the compare-and-set
            done = await store.get_by_id(record.id)
            assert done is not None and done.status is JobStatus.COMPLETED
            assert await assets.open(done.id, done.assets["video"]) is not None
        finally:
            await store.close()

    asyncio.run(scenario())


class _Log:
    def info(self, *args: object, **kw: object) -> None:
        pass

    error = warning = info


class Polled(VideoProvider):
    """An upstream job that never finishes: each step is one poll, asking again in `every` s."""

    name: ClassVar[str] = "polled"
    capabilities: ClassVar[frozenset[Capability]] = frozenset()

    def __init__(self, every: float) -> None:
        self.every = every
        self.polls: list[float] = []

    def prepare(self, request: GenerationRequest) -> PreparedJob:
        raise NotImplementedError

    async def advance(self, job: JobRecord, ctx: JobContext) -> Outcome:
        self.polls.append(time.monotonic())
        return Pending(JobStatus.IN_PROGRESS, None, self.every)


def test_a_job_is_polled_when_its_step_comes_due_not_at_the_next_claim_poll(tmp_path: Path) -> None:
    """The worker sleeps until the next step nobody holds comes due when that is sooner than its
    claim poll: with polls due every 0.2 s and claims polled every 5 s, a job is still polled
    about every 0.2 s (once per claim poll, had the worker only waited for it)."""

    async def scenario() -> None:
        settings = Settings(data_dir=tmp_path, lease_seconds=LEASE_S, poll_interval_seconds=5.0)
        engine = open_engine(settings.resolved_database_url)
        await migrate(engine)
        store = JobStore(engine)
        provider = Polled(every=0.2)
        worker = Worker(settings, store, build_asset_store(settings), {"polled": provider})
        await store.insert(dataclasses.replace(_submitted(), provider="polled"))
        worker.start()
        try:
            await asyncio.sleep(2.0)
        finally:
            await worker.stop()
            await store.close()
        gaps = [round(b - a, 2) for a, b in itertools.pairwise(provider.polls)]
        assert len(provider.polls) >= 5, gaps  # about 9 in 2 s; 1 had it waited for the claim poll
        assert all(gap >= 0.2 for gap in gaps), gaps  # and never sooner than asked

    asyncio.run(scenario())


class Recorded(SlowDownload):
    """Done in one step, which it notes the time of."""

    def __init__(self) -> None:
        super().__init__(step_seconds=0.0)
        self.polls: list[float] = []

    async def advance(self, job: JobRecord, ctx: JobContext) -> Outcome:
        self.polls.append(time.monotonic())
        return await super().advance(job, ctx)


def test_a_worker_with_nothing_to_do_looks_less_often_and_wakes_at_once(tmp_path: Path) -> None:
    """With no work the worker doubles its wait between claim polls, up to idle_poll_max_seconds:
    an idle fleet does not ask the database several times a second per process. A poke (a new job)
    wakes it at once and brings the wait back down; a job nobody announced (inserted by another
    host while notifications are down) is still found within the longest wait."""

    async def scenario() -> None:
        settings = Settings(
            data_dir=tmp_path, lease_seconds=LEASE_S, poll_interval_seconds=0.05, idle_poll_max_seconds=0.4
        )
        engine = open_engine(settings.resolved_database_url)
        await migrate(engine)
        store = JobStore(engine)
        looks: list[float] = []
        claim_next = store.claim_next

        async def counted(*args: object, **kwargs: object) -> object:
            looks.append(time.monotonic())
            return await claim_next(*args, **kwargs)  # type: ignore[arg-type]

        store.claim_next = counted  # type: ignore[method-assign]
        provider = Recorded()
        worker = Worker(settings, store, build_asset_store(settings), {"slow": provider})
        worker.start()
        try:
            await asyncio.sleep(2.0)
            idle_looks = len(looks)  # 0, .05, .15, .35, .75, 1.15, 1.55, 1.95: 8; 40 without back-off
            await store.insert(_submitted())
            worker.poke()
            poked = time.monotonic()
            while not provider.polls and time.monotonic() - poked < 5:
                await asyncio.sleep(0.01)
            assert provider.polls and provider.polls[0] - poked < 0.3  # woken, not at the next look
            await asyncio.sleep(2.0)  # that job done, the wait is back at its longest
            unannounced = _submitted()
            await store.insert(unannounced)
            inserted, seen = time.monotonic(), len(provider.polls)
            while len(provider.polls) == seen and time.monotonic() - inserted < 5:
                await asyncio.sleep(0.01)
            found_after = time.monotonic() - inserted
        finally:
            await worker.stop()
            await store.close()
        gaps = [round(b - a, 2) for a, b in itertools.pairwise(looks[:idle_looks])]
        # Bounds with room for a loaded machine (the full suite runs four files at once on two
        # cores): without the back-off 40 looks; doubling without the cap, a gap of 0.8 s.
        assert 5 <= idle_looks <= 10, gaps
        assert max(gaps) <= 0.65 and gaps[-1] >= 0.35, gaps  # doubled up to the longest wait, no further
        assert found_after < 1.0, found_after  # within the longest wait (0.4 s) and a look's own time

    asyncio.run(scenario())
