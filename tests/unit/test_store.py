"""JobStore on both backends: CAS transitions, leases, tenant scoping, pagination."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text

from tests.support.databases import database
from vidgate.domain import JobRecord, JobStatus, new_job_id
from vidgate.store import JobStore, SlotRefused, UsageLedger, migrate, open_engine


def job(tenant: str = "t1", provider: str = "local", key_id: str | None = None) -> JobRecord:
    return JobRecord(
        key_id=key_id,
        id=new_job_id(),
        tenant=tenant,
        provider=provider,
        model="default",
        status=JobStatus.QUEUED,
        prompt="p",
        seconds=1,
        size="64x64",
        created_at=int(time.time()),
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path):
    with database(request.param, tmp_path) as url:
        yield url


def run(store_url: str, scenario) -> None:
    async def main() -> None:
        engine = open_engine(store_url)
        await migrate(engine)
        await migrate(engine)  # idempotent: a second start applies nothing
        store = JobStore(engine)
        try:
            await scenario(store)
        finally:
            await store.close()

    asyncio.run(main())


def test_only_one_worker_wins_a_claim(store_url: str) -> None:
    async def scenario(store: JobStore) -> None:
        await store.insert(job())
        results = await asyncio.gather(
            *(store.claim(f"w{i}", ["local"], 30, max_attempts=3) for i in range(8))
        )
        winners = [r for r in results if r is not None]
        assert len(winners) == 1 and winners[0].attempts == 1
        owner = winners[0].lease_owner
        assert await store.heartbeat(winners[0].id, owner, 50, 30)
        assert not await store.heartbeat(winners[0].id, "someone-else", 60, 30)
        assert not await store.complete(winners[0], "someone-else", {}, 60)

    run(store_url, scenario)


def test_an_expired_lease_is_taken_over_and_the_old_owner_loses(store_url: str) -> None:
    async def scenario(store: JobStore) -> None:
        record = job()
        await store.insert(record)
        first = await store.claim("crashed", ["local"], 0.2, max_attempts=3)
        assert first is not None
        assert await store.claim("other", ["local"], 30, max_attempts=3) is None  # still leased
        await asyncio.sleep(0.3)
        second = await store.claim("other", ["local"], 30, max_attempts=3)
        assert second is not None and second.attempts == 2
        assert not await store.heartbeat(record.id, "crashed", 10, 30)
        assert await store.complete(record, "other", {"video": {"file": "video.mp4"}}, 3600)
        ledger = UsageLedger(store._engine)
        (line,) = await ledger.summary("t1")  # booked once, with completion
        assert (line.key_id, line.provider, line.model, line.seconds, line.videos) == (
            "",
            "local",
            "default",
            1,
            1,
        )
        done = await store.get("t1", record.id, "local")
        assert (
            done.status == JobStatus.COMPLETED
            and done.progress == 100
            and done.expires_at > done.completed_at
        )

    run(store_url, scenario)


def test_a_job_interrupted_too_often_fails_with_a_reason(store_url: str) -> None:
    async def scenario(store: JobStore) -> None:
        record = job()
        await store.insert(record)
        for _ in range(2):
            assert await store.claim("w", ["local"], 0.05, max_attempts=2) is not None
            await asyncio.sleep(0.1)
        assert await store.claim("w", ["local"], 0.05, max_attempts=2) is None
        failed = await store.get("t1", record.id, "local")
        assert failed.status == JobStatus.FAILED and failed.error_code == "too_many_attempts"

    run(store_url, scenario)


def test_released_jobs_are_claimable_at_once(store_url: str) -> None:
    async def scenario(store: JobStore) -> None:
        await store.insert(job())
        claimed = await store.claim("a", ["local"], 30, max_attempts=3)
        assert await store.release(claimed.id, "a")
        assert (await store.claim("b", ["local"], 30, max_attempts=3)).id == claimed.id

    run(store_url, scenario)


async def _plan(conn: Any, statement: str, parameters: Any, name: str) -> str:
    """How the database runs a statement. On PostgreSQL, its generic plan (the one for any values
    of the parameters, which a prepared statement comes to use): on a table this small, and not
    told otherwise, it would read the table whole whatever the query says."""
    if conn.dialect.name == "sqlite":
        return str((await conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)).all())
    await conn.exec_driver_sql("SET enable_seqscan = off")
    await conn.exec_driver_sql("SET plan_cache_mode = force_generic_plan")
    await conn.exec_driver_sql(f"PREPARE {name} AS {statement}")
    values = ", ".join(
        "'" + v.replace("'", "''") + "'" if isinstance(v, str) else repr(v) for v in parameters
    )
    return str((await conn.exec_driver_sql(f"EXPLAIN EXECUTE {name}({values})")).all())


def test_a_claim_reads_the_index_of_active_jobs_only(store_url: str) -> None:
    """Finished jobs keep their last next_run_at, the oldest there is: a claim that scanned an
    index of every job walked all the finished ones kept before an active one (20 ms on SQLite,
    45 ms on PostgreSQL with 100,000 kept, five claims a second). Both of its reads must be
    answered from the partial index of active jobs, which a database uses only when the query
    names the same statuses as literals."""

    async def scenario(store: JobStore) -> None:
        engine = store._engine
        reads: list[tuple[str, Any]] = []

        def seen(_conn, _cursor, statement: str, parameters: Any, _context, _many) -> None:
            if statement.lstrip().upper().startswith("SELECT"):
                reads.append((statement, parameters))

        event.listen(engine.sync_engine, "before_cursor_execute", seen)
        try:
            assert await store.claim("w", ["local"], 30, max_attempts=3) is None
        finally:
            event.remove(engine.sync_engine, "before_cursor_execute", seen)
        assert len(reads) == 2, reads  # the new jobs, then the overdue ones
        async with engine.connect() as conn:
            for n, (statement, parameters) in enumerate(reads):
                plan = await _plan(conn, statement, parameters, f"claim_read_{n}")
                assert "ix_jobs_active_due" in plan, f"{statement}\n{plan}"

    run(store_url, scenario)


def test_a_claim_that_finds_nothing_due_says_when_the_next_step_comes_due(store_url: str) -> None:
    async def scenario(store: JobStore) -> None:
        soon, later, held = job(), job(), job()
        for record in (soon, later, held):
            await store.insert(record)
            claimed = await store.claim("submitter", ["local"], 30, max_attempts=3)
            assert claimed is not None and claimed.id == record.id
        now = time.time()
        assert await store.reschedule(
            soon.id, "submitter", status=JobStatus.IN_PROGRESS, progress=None, next_run_at=now + 1
        )
        assert await store.reschedule(
            later.id, "submitter", status=JobStatus.IN_PROGRESS, progress=None, next_run_at=now + 60
        )
        async with store._engine.begin() as conn:  # due first, but its holder still has it
            await conn.execute(
                text("UPDATE jobs SET next_run_at = :at WHERE id = :id"), {"at": now + 0.5, "id": held.id}
            )

        found, next_due = await store.claim_next("w", ["local"], 30, max_attempts=3, horizon=5)
        assert found is None and next_due == pytest.approx(now + 1, abs=0.01)
        found, next_due = await store.claim_next("w", ["local"], 30, max_attempts=3, horizon=0.5)
        assert found is None and next_due is None  # nothing comes due within the horizon
        found, next_due = await store.claim_next("w", ["other"], 30, max_attempts=3, horizon=5)
        assert found is None and next_due is None  # another provider's jobs are not this worker's

    run(store_url, scenario)


def test_tenants_and_providers_are_scoped_and_pages_are_stable(store_url: str) -> None:
    async def scenario(store: JobStore) -> None:
        mine = [job() for _ in range(5)]
        for record in [*mine, job(tenant="t2"), job(provider="openai")]:
            await store.insert(record)
        assert await store.get("t2", mine[0].id, "local") is None
        assert await store.get("t1", mine[0].id, "openai") is None
        assert await store.active_jobs("t1") == 6
        page1 = await store.list("t1", "local", after=None, limit=2, descending=True)
        page2 = await store.list("t1", "local", after=page1.items[-1].id, limit=2, descending=True)
        page3 = await store.list("t1", "local", after=page2.items[-1].id, limit=2, descending=True)
        ids = [j.id for j in page1.items + page2.items + page3.items]
        assert ids == [j.id for j in reversed(mine)]
        assert page1.has_more and page2.has_more and not page3.has_more
        # the cursor need not exist any more
        assert await store.delete("t1", mine[2].id, "local") is not None
        after_deleted = await store.list("t1", "local", after=mine[2].id, limit=10, descending=False)
        assert [j.id for j in after_deleted.items] == [mine[3].id, mine[4].id]
        assert await store.delete("t2", mine[0].id, "local") is None

    run(store_url, scenario)


@pytest.mark.parametrize("inline", [True, False], ids=["inline", "aiosqlite-thread"])
def test_a_locked_sqlite_database_is_told_apart_from_a_broken_query(tmp_path: Path, inline: bool) -> None:
    """SQLite busy past its timeout is an outage (a 503 to retry); a query on a missing table is not."""
    import sqlite3

    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    from vidgate.store import database_unavailable
    from vidgate.store.inline_sqlite import inline_dbapi

    path = tmp_path / "locked.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")  # another process holding the write lock

    async def main() -> None:
        extra = {"module": inline_dbapi(), "pool_size": 1, "max_overflow": 0} if inline else {}
        engine = create_async_engine(f"sqlite+aiosqlite:///{path}", connect_args={"timeout": 0.1}, **extra)
        try:
            with pytest.raises(Exception) as locked:
                async with engine.begin() as conn:
                    await conn.execute(text("INSERT INTO t VALUES (1)"))
            assert database_unavailable(locked.value), repr(locked.value)
            holder.execute("ROLLBACK")
            with pytest.raises(Exception) as broken:
                async with engine.begin() as conn:
                    await conn.execute(text("SELECT * FROM no_such_table"))
            assert not database_unavailable(broken.value)
        finally:
            await engine.dispose()

    asyncio.run(main())
    holder.close()


def test_active_slots_are_taken_by_a_create_and_given_back_however_the_job_ends(store_url: str) -> None:
    async def scenario(store: JobStore) -> None:
        jobs = [job(key_id="k1") for _ in range(4)]
        for record in jobs:
            await store.insert(record, tenant_limit=4, key_limit=None)
        assert (await store.active_jobs("t1"), await store.active_jobs("t1", key_id="k1")) == (4, 4)
        with pytest.raises(SlotRefused) as refused:  # the tenant is full: no job, no slot taken
            await store.insert(job(key_id="k2"), tenant_limit=4, key_limit=None)
        assert (refused.value.scope, refused.value.active, refused.value.limit) == ("tenant", 4, 4)
        assert await store.active_jobs("t1", key_id="k2") == 0
        with pytest.raises(SlotRefused) as refused:  # the key is full, the tenant is not
            await store.insert(job(key_id="k1"), tenant_limit=10, key_limit=4)
        assert (refused.value.scope, refused.value.active) == ("key", 4)
        assert await store.active_jobs("t1") == 4
        # every way out of the active states gives its slots back, once
        first = await store.claim("w", ["local"], 30, max_attempts=3)
        assert await store.complete(first, "w", {}, 3600)
        assert not await store.complete(first, "w", {}, 3600)  # a second completion changes nothing
        second = await store.claim("w", ["local"], 30, max_attempts=3)
        assert await store.fail(second.id, "w", "boom", "it broke")
        third = next(j for j in jobs if j.id not in (first.id, second.id))
        assert await store.delete("t1", third.id, "local") is not None
        assert await store.delete("t1", third.id, "local") is None
        fourth = next(j for j in jobs if j.id not in (first.id, second.id, third.id))
        await store.claim("w", ["local"], 30, max_attempts=3)
        await store.discard(fourth.id, "w")
        assert (await store.active_jobs("t1"), await store.active_jobs("t1", key_id="k1")) == (0, 0)
        await store.delete("t1", first.id, "local")  # a finished job's delete holds nothing to give
        assert await store.active_jobs("t1") == 0
        await store.insert(job(key_id="k1"), tenant_limit=1, key_limit=1)
        assert await store.active_jobs("t1") == 1

    run(store_url, scenario)


def test_a_delete_racing_the_worker_that_ends_the_job_gives_its_slot_back_once(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A delete reads the job, then deletes it; a worker may fail or complete it in between (its
    own transaction gives the slot back). Seen in CI: two instances, a job deleted while a worker
    found its upstream job gone, and one slot freed twice. The read is made stale here."""
    import dataclasses

    import vidgate.store.jobs as jobs_module

    read_as_before = jobs_module.record_from_row

    async def scenario(store: JobStore) -> None:
        held, racing = job(key_id="k1"), job(key_id="k1")
        for record in (held, racing):
            await store.insert(record, tenant_limit=2, key_limit=None)
        claimed = await store.claim("w", ["local"], 30, max_attempts=3)
        assert claimed.id == held.id
        assert await store.fail(held.id, "w", "provider_error", "the upstream job is gone")
        assert await store.active_jobs("t1") == 1
        monkeypatch.setattr(
            jobs_module,
            "record_from_row",
            lambda row: dataclasses.replace(read_as_before(row), status=JobStatus.IN_PROGRESS),
        )
        assert await store.delete("t1", held.id, "local") is not None
        assert (await store.active_jobs("t1"), await store.active_jobs("t1", key_id="k1")) == (1, 1), (
            "the failed job's slot was given back a second time: the delete went by its stale read"
        )

    run(store_url, scenario)


def test_concurrent_creates_never_take_more_slots_than_the_limit(store_url: str) -> None:
    async def scenario(store: JobStore) -> None:
        async def create() -> bool:
            try:
                await store.insert(job(), tenant_limit=5)
            except SlotRefused:
                return False
            return True

        taken = await asyncio.gather(*(create() for _ in range(20)))
        assert taken.count(True) == 5 and await store.active_jobs("t1") == 5

    run(store_url, scenario)


def test_the_slots_migration_counts_the_jobs_already_running(store_url: str) -> None:
    """A database upgraded with jobs in flight starts with their slots held, per tenant and key."""
    from alembic import command
    from sqlalchemy import text

    from vidgate.store.engine import alembic_config

    def upgrade(connection, revision: str) -> None:  # type: ignore[no-untyped-def]
        cfg = alembic_config()
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)

    async def main() -> None:
        engine = open_engine(store_url)
        async with engine.begin() as conn:
            await conn.run_sync(upgrade, "0008_characters")
            for i, (tenant, key_id, status) in enumerate(
                [("t1", "k1", "queued"), ("t1", "k1", "in_progress"), ("t1", "k2", "completed"),
                 ("t1", None, "queued"), ("t2", "k3", "failed"), ("t2", "k3", "in_progress")]
            ):  # fmt: skip
                await conn.execute(
                    text(
                        "INSERT INTO jobs (id, tenant, provider, model, status, progress, prompt, seconds, "
                        "size, params, created_at, updated_at, attempts, submit_state, key_id) VALUES "
                        "(:id, :tenant, 'local', 'default', :status, 0, 'p', 1, '64x64', '{}', 0, 0, 0, "
                        "'none', :key_id)"
                    ),
                    {"id": f"job{i}", "tenant": tenant, "status": status, "key_id": key_id},
                )
        await migrate(engine)
        store = JobStore(engine)
        try:
            counted = [
                await store.active_jobs("t1"),
                await store.active_jobs("t1", key_id="k1"),
                await store.active_jobs("t1", key_id="k2"),
                await store.active_jobs("t2"),
                await store.active_jobs("t2", key_id="k3"),
            ]
            assert counted == [3, 2, 0, 1, 1]
        finally:
            await store.close()

    asyncio.run(main())


def test_a_point_read_gives_the_job_as_the_engine_reads_it(store_url: str) -> None:
    """The lookup's read beside the engine (store/point_reads) against the engine's own, JSON
    columns and all, on both backends."""

    async def scenario(store: JobStore) -> None:
        record = dataclasses.replace(
            job(key_id="k1"),
            params={"audio": True, "nested": {"list": [1, 2.5, "x"], "none": None}},
            reserved_usd=0.4,
            reservations=({"scope": "key", "scope_id": "k1", "period": "2026-11", "limit_usd": 5.0},),
            trace_context={"traceparent": "00-abc-def-01"},
        )
        await store.insert(record)
        claimed = await store.claim("w", ["local"], 30, max_attempts=3)
        assert await store.complete(claimed, "w", {"video": {"key": "v.mp4", "bytes": 10}}, 3600, 0.4)
        engine_only = JobStore(store._engine, point_reads=False)
        assert store._point_reads is not None and engine_only._point_reads is None
        pointed = await store.get("t1", record.id, "local")
        assert pointed == await engine_only.get("t1", record.id, "local")
        assert pointed.params["nested"] == {"list": [1, 2.5, "x"], "none": None}
        assert pointed.assets == {"video": {"key": "v.mp4", "bytes": 10}} and pointed.cost_usd == 0.4
        assert await store.get("t1", record.id, "openai") is None
        assert await store.get("t2", record.id, "local") is None

    run(store_url, scenario)


def test_lookups_waiting_together_go_to_postgresql_as_one_statement(tmp_path: Path) -> None:
    """Lookups made in the same turn of the loop are one statement (store/point_reads), and each
    gets the row its own WHERE would: the other keys must match, an unknown id is None, a key
    asked twice gets the row twice. Lookups that arrive while a statement is out go together as
    the next, on the same held connection. A lookup given up leaves the others theirs; a failed
    statement fails each lookup of its batch, and the next opens a new connection."""

    async def scenario(store: JobStore) -> None:
        mine, theirs = job(), job(tenant="t2", provider="openai")
        await store.insert(mine)
        await store.insert(theirs)
        real = await store._side_pool.connect()

        class Watched:  # the connection as the point reads see it: each statement counted
            def __init__(self) -> None:
                self.sent: list[str] = []
                self.failure: Exception | None = None
                self.gate: asyncio.Event | None = None  # set: statements wait for it
                self.answered: Callable[[], None] | None = None  # called as a statement comes back
                self.terminated = False

            async def fetch(self, sql: str, *args: object) -> object:
                self.sent.append(sql)
                if self.gate is not None:
                    await self.gate.wait()
                if self.failure is not None:
                    raise self.failure
                rows = await real.fetch(sql, *args)
                if self.answered is not None:
                    self.answered()
                return rows

            def terminate(self) -> None:
                self.terminated = True

            async def close(self) -> None:
                await real.close()

        connections: list[Watched] = []

        async def connect() -> Watched:
            connections.append(Watched())
            return connections[-1]

        store._side_pool.connect = connect
        asked = [
            ("t1", mine.id, "local"),
            ("t1", mine.id, "local"),
            ("t2", theirs.id, "openai"),
            ("t2", mine.id, "local"),
            ("t1", mine.id, "openai"),
            ("t1", "video_unknown", "local"),
        ]
        found = await asyncio.gather(*(store.get(*key) for key in asked))
        (watched,) = connections
        assert len(watched.sent) == 1
        engine_only = JobStore(store._engine, point_reads=False)
        assert found == [await engine_only.get(*key) for key in asked]
        assert [f and f.id for f in found] == [mine.id, mine.id, theirs.id, None, None, None]

        assert await store.get("t1", mine.id, "local") == found[0]  # alone: a batch of one
        assert len(watched.sent) == 2

        watched.gate = asyncio.Event()
        out = asyncio.ensure_future(store.get(*asked[0]))
        while len(watched.sent) < 3:  # that statement is out, held at the gate
            await asyncio.sleep(0)
        meanwhile = [asyncio.ensure_future(store.get(*key)) for key in asked]
        for _ in range(5):
            await asyncio.sleep(0)
        assert len(watched.sent) == 3  # they wait for the statement out
        watched.gate.set()
        assert await asyncio.wait_for(asyncio.gather(out, *meanwhile), 10) == [found[0], *found]
        assert len(watched.sent) == 4 and connections == [watched]  # one more, on the same connection
        watched.gate = None

        async def a_turn_later(key: tuple[str, str, str]) -> object:
            await asyncio.sleep(0)
            return await store.get(*key)

        again: list[asyncio.Future[object]] = []
        watched.answered = lambda: again.extend(  # answered clients asking again over two turns
            [asyncio.ensure_future(store.get(*asked[0])), asyncio.ensure_future(a_turn_later(asked[2]))]
        )
        assert await store.get(*asked[0]) == found[0]
        watched.answered = None
        assert await asyncio.wait_for(asyncio.gather(*again), 10) == [found[0], found[2]]
        assert len(watched.sent) == 6  # one statement for both, not one each

        gone, kept = (asyncio.ensure_future(store.get(*key)) for key in asked[:2])
        await asyncio.sleep(0)  # both have joined the batch
        gone.cancel()  # its client went away: the other lookup still gets its row
        assert await asyncio.wait_for(kept, 10) == found[1] and gone.cancelled()

        watched.failure = ConnectionResetError("the database went away")
        failed = await asyncio.gather(*(store.get(*key) for key in asked[:3]), return_exceptions=True)
        assert all(isinstance(f, ConnectionResetError) for f in failed)
        assert watched.terminated
        assert await store.get("t1", mine.id, "local") == found[0]  # on a new connection
        assert len(connections) == 2 and not connections[1].terminated
        await store._point_reads.close()
        with pytest.raises(RuntimeError, match="closed"):  # not a lookup that waits for ever
            await asyncio.wait_for(store.get("t1", mine.id, "local"), 5)

    with database("postgresql", tmp_path) as url:
        run(url, scenario)


def test_the_next_batch_waits_for_the_clients_it_answered_while_they_keep_coming(tmp_path: Path) -> None:
    """After a statement answers six lookups, the next waits for six as long as lookups keep
    coming: answers leave together at the end of a turn (http/one_write.py) and their clients
    come back spread over the turns after. A few turns in which none comes (QUIET_TURNS) send
    what waits, so a client that does not come back holds up nobody."""

    async def scenario(store: JobStore) -> None:
        record = job()
        await store.insert(record)
        real = await store._side_pool.connect()
        sent: list[str] = []

        class Counted:
            async def fetch(self, sql: str, *args: object) -> object:
                sent.append(sql)
                return await real.fetch(sql, *args)

            def terminate(self) -> None:
                real.terminate()

            async def close(self) -> None:
                await real.close()

        async def connect() -> Counted:
            return Counted()

        store._side_pool.connect = connect
        key = (record.tenant, record.id, record.provider)

        async def turns_later(turns: int) -> object:
            for _ in range(turns):
                await asyncio.sleep(0)
            return await store.get(*key)

        first = await asyncio.gather(*(store.get(*key) for _ in range(6)))
        assert len(sent) == 1
        assert await asyncio.gather(*(turns_later(t) for t in range(0, 18, 3))) == first
        assert len(sent) == 2, "six lookups three turns apart, after a batch of six: one statement"
        assert await asyncio.wait_for(asyncio.gather(*(turns_later(t) for t in range(3))), 5) == first[:3]
        assert len(sent) == 3, "three of six came back: they went without the rest"
        assert await asyncio.wait_for(store.get(*key), 5) == first[0]

    with database("postgresql", tmp_path) as url:
        run(url, scenario)


def test_a_side_connection_comes_back_without_its_transaction(tmp_path: Path) -> None:
    """The side pool skips asyncpg's reset query on release (store/side_pool), but a connection
    given back inside a transaction is still rolled back, not left idle in it holding its locks."""

    async def scenario(store: JobStore) -> None:
        record = job()
        await store.insert(record)
        pool = await store._side_pool.opened()
        async with pool.acquire() as conn:
            await conn.execute("BEGIN")
            await conn.execute("UPDATE jobs SET prompt = 'half done' WHERE id = $1", record.id)
        idle_in_transaction = await pool.fetchval(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND state LIKE 'idle in transaction%'"
        )
        assert idle_in_transaction == 0
        assert (await store.get(record.tenant, record.id, record.provider)).prompt == "p"
        async with pool.acquire() as conn, conn.transaction():  # and the row is free to update
            await conn.execute("SET LOCAL lock_timeout = '2s'")
            await conn.execute("UPDATE jobs SET prompt = 'next' WHERE id = $1", record.id)

    with database("postgresql", tmp_path) as url:
        run(url, scenario)


def test_direct_writes_leave_the_rows_the_engine_writes(store_url: str) -> None:
    """A create's insert and its transitions beside the engine (store/direct_writes) against the
    same writes through the engine, on both backends: the same rows, JSON columns, slots and
    refusals."""
    from sqlalchemy import delete, select

    from vidgate.domain import SubmitState
    from vidgate.store.active_slots import SLOTS
    from vidgate.store.jobs import JOBS

    async def writes(direct: bool) -> tuple[list[dict], list[tuple], list[tuple]]:
        engine = open_engine(store_url)
        await migrate(engine)
        async with engine.begin() as conn:  # the other run's rows
            await conn.execute(delete(JOBS))
            await conn.execute(delete(SLOTS))
        store = JobStore(engine, direct_writes=direct)
        assert (store._direct is not None) is direct
        refusals = []
        try:
            for n in range(2):
                record = dataclasses.replace(
                    job(key_id="k1", provider="openai"),
                    id=f"video_{n}",
                    params={"audio": True, "nested": {"list": [1, 2.5, "x"], "none": None}},
                    trace_context={"traceparent": "00-abc-def-01"},
                    submit_state=SubmitState.SUBMITTING,
                )
                await store.insert(record, lease_owner="api-1", lease_seconds=30, tenant_limit=5, key_limit=2)
                taken = dataclasses.replace(
                    record, submit_state=SubmitState.SUBMITTED, upstream_id=f"up{n}", upstream={"s": n}
                )
                assert await store.assign(taken, "api-1", next_run_at=100.0 + n)
            assert not await store.assign(taken, "api-1")  # the lease went with the first assign
            key_full = dataclasses.replace(job(key_id="k1"), id="video_full")
            with pytest.raises(SlotRefused) as refused:  # the key's 2 slots are taken
                await store.insert(key_full, tenant_limit=5, key_limit=2)
            refusals.append((refused.value.scope, refused.value.active, refused.value.limit))
            with pytest.raises(SlotRefused) as refused:
                await store.insert(dataclasses.replace(job(tenant="t9"), id="video_zero"), tenant_limit=0)
            refusals.append((refused.value.scope, refused.value.active, refused.value.limit))
            async with engine.connect() as conn:
                rows = [dict(r._mapping) for r in await conn.execute(select(JOBS).order_by(JOBS.c.id))]
                slots = [tuple(r) for r in await conn.execute(select(SLOTS).order_by(SLOTS.c.scope))]
            return rows, slots, refusals
        finally:
            await store.close()

    direct, engine = asyncio.run(writes(True)), asyncio.run(writes(False))
    volatile = {"created_at", "updated_at", "lease_until"}
    assert [{k: v for k, v in r.items() if k not in volatile} for r in direct[0]] == [
        {k: v for k, v in r.items() if k not in volatile} for r in engine[0]
    ]
    assert direct[0][0]["params"]["nested"] == {"list": [1, 2.5, "x"], "none": None}
    assert direct[0][1]["upstream"] == {"s": 1} and direct[0][1]["next_run_at"] == 101.0
    assert direct[2] == [("key", 2, 2), ("tenant", 0, 0)]  # a new tenant with no slots
    assert direct[1:] == engine[1:]


def test_a_locked_database_stops_a_direct_write_as_an_outage(tmp_path: Path) -> None:
    import sqlite3

    from sqlalchemy.ext.asyncio import create_async_engine

    from vidgate.store import database_unavailable
    from vidgate.store.inline_sqlite import inline_dbapi

    path = tmp_path / "locked.db"

    async def main() -> None:
        engine = create_async_engine(
            f"sqlite+aiosqlite:///{path}",
            module=inline_dbapi(),
            connect_args={"timeout": 0.1},
            pool_size=1,
            max_overflow=0,
        )
        await migrate(engine)
        store = JobStore(engine)
        assert store._direct is not None
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")  # another process holding the write lock
        try:
            with pytest.raises(Exception) as locked:
                await store.insert(job())
            assert database_unavailable(locked.value), repr(locked.value)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        await store.insert(job())  # the connection went back clean: the next write goes through
        assert await store.active_jobs("t1") == 1
        await store.close()

    asyncio.run(main())


def test_a_direct_write_waits_while_the_engine_holds_the_connection(tmp_path: Path) -> None:
    """The pool's one connection, used as it sits while checked in: not while a transaction of the
    engine holds it across an await (the write would land inside that transaction)."""
    from sqlalchemy import text

    async def main() -> None:
        engine = open_engine(f"sqlite+aiosqlite:///{tmp_path}/held.db")
        await migrate(engine)
        store = JobStore(engine)
        record = job()
        await store.insert(record, lease_owner="api-1", lease_seconds=30)
        try:
            async with engine.connect() as conn:
                write = asyncio.create_task(store.assign(record, "api-1", next_run_at=5.0))
                await asyncio.sleep(0.05)
                assert not write.done()  # checked out, even between transactions: it waits
                await conn.execute(text("UPDATE jobs SET prompt = 'held' WHERE id = :id"), {"id": record.id})
                await asyncio.sleep(0.05)
                assert not write.done()
                await conn.rollback()
            assert await write
            assert (await store.get("t1", record.id, "local")).prompt == "p"  # the rollback held
        finally:
            await store.close()

    asyncio.run(main())
