"""A job read by its key beside the async engine: the one read every lookup makes.

Through SQLAlchemy's async engine it cost far more than the database's own work. On SQLite
(~20 µs of work) it cost ~0.2 ms: pool checkout, greenlet hops, the aiosqlite adapter, result
processing. On PostgreSQL it cost ~0.8 ms of the gateway's CPU and four round trips: the pool's
pre-ping, BEGIN, the SELECT and the ROLLBACK that returns the connection.

So this runs the very statement SQLAlchemy compiles for the read (its SQL and parameter order for
the dialect), in one call: on SQLite on a read-only sqlite3 connection of its own (WAL lets it read
the last committed state while the engine's connection writes), on PostgreSQL on an asyncpg
connection of its own (side_pool; one round trip, no transaction: a single SELECT is atomic),
with the lookups waiting at the same time in one statement (PostgresPointReads). Columns go
through their SQLAlchemy result processors, and JSON is decoded as the engine's asyncpg codecs
decode it, so rows come out as the engine would give them.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Select, Table, any_, bindparam, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncEngine

from .engine import BUSY_TIMEOUT_S
from .inline_sqlite import runs_inline
from .side_pool import SidePool


class PointReads:
    """One statement, compiled for the engine's dialect, run outside the engine."""

    def __init__(self, table: Table, query: Select[Any], dialect: Any) -> None:
        compiled = query.compile(dialect=dialect)
        self._sql = str(compiled)
        self._order = compiled.positiontup or ()
        names = [c.name for c in compiled.statement.selected_columns]
        self._processors = [table.c[name].type.result_processor(dialect, None) for name in names]
        self._row = collections.namedtuple("JobRow", names)  # type: ignore[misc]

    @classmethod
    def for_engine(
        cls, engine: AsyncEngine, table: Table, query: Select[Any], pool: SidePool | None
    ) -> PointReads | None:
        """For a SQLite file whose calls run inline (a `:memory:` database is one connection's) or a
        PostgreSQL database (on `pool`); None keeps the engine's path."""
        url = engine.url
        if pool is not None:
            return PostgresPointReads(engine, table, query, pool)
        if not url.database or url.database == ":memory:" or not runs_inline(engine):
            return None
        return SqlitePointReads(url.database, table, query, engine.dialect)

    def _args(self, params: dict[str, Any]) -> list[Any]:
        return [params[name] for name in self._order]

    def _made(self, values: Any) -> Any:
        return self._row(*(v if p is None else p(v) for p, v in zip(self._processors, values, strict=True)))

    async def fetch(self, params: dict[str, Any]) -> Any | None:
        """The row as SQLAlchemy's Core would give it (attribute access), or None."""
        raise NotImplementedError

    async def close(self) -> None:
        raise NotImplementedError


class SqlitePointReads(PointReads):
    def __init__(self, path: str, table: Table, query: Select[Any], dialect: Any) -> None:
        super().__init__(table, query, dialect)
        self._path = path
        self._conn: sqlite3.Connection | None = None

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            conn = sqlite3.connect(
                f"{Path(self._path).resolve().as_uri()}?mode=ro",
                uri=True,
                timeout=BUSY_TIMEOUT_S,
                check_same_thread=False,
            )
            conn.execute("PRAGMA query_only=ON")
            self._conn = conn
        return self._conn

    async def fetch(self, params: dict[str, Any]) -> Any | None:
        # fetchall: the statement runs to its end, so no read transaction stays open
        rows = self._connection().execute(self._sql, self._args(params)).fetchall()
        return self._made(rows[0]) if rows else None

    async def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


QUIET_TURNS = 8
"""Turns of the loop in a row without a new lookup after which a batch short of the clients it
expects goes anyway. A turn with nothing to do takes a few µs, a client's next request comes
some 15-20 µs after the one before it (wrk's, on the host of 2026-11-30 night): after one quiet
turn, batches went before half their clients were back; after 8, two processes at 16 clients
served 9% more lookups, one process no fewer (`bench/history/2026-11-30-turn-outbox.md`)."""


class PostgresPointReads(PointReads):
    """Lookups that wait on PostgreSQL at the same time go as one statement, on a connection this
    holds (one statement at a time: asyncpg runs one per connection).

    While a batch is out, the lookups that arrive wait for it to come back. The next goes when
    as many wait as the last one answered and the lookups that waited for it (clients answered
    ask again), or after a few turns of the loop in which no lookup came (`_gather`). So a batch
    holds only lookups that had already arrived when it is sent: none sees an older state than it
    would have alone, a lone client's lookup waits for nothing (its batch of one is complete at
    once), and under load one statement answers every client waiting.
    PostgreSQL's CPU per lookup is what limits a fleet of gateways over one database, and the
    gateway's own cost per statement (~0.08 ms of CPU on a held connection, ~0.14 ms through a
    pool) is paid once a batch: with fewer clients per process (two processes share 16), batches
    are smaller and that share grows.
    The batch reads the rows by primary key; a lookup keeps its row only if the query's other keys
    match too, as its own WHERE would (the query's parameters are named after their columns).
    """

    def __init__(self, engine: AsyncEngine, table: Table, query: Select[Any], pool: SidePool) -> None:
        super().__init__(table, query, engine.dialect)
        (primary,) = table.primary_key.columns
        if not set(self._order) <= set(self._row._fields) or primary.name not in self._order:
            raise ValueError(f"a point read's parameters must be its columns, {primary.name} among them")
        self._pool = pool
        self._primary = self._order.index(primary.name)
        self._primary_name = primary.name
        batch = select(table).where(primary == any_(bindparam("keys", type_=ARRAY(primary.type))))
        self._batch_sql = str(batch.compile(dialect=engine.dialect))
        self._waiting: dict[tuple[Any, ...], list[asyncio.Future[Any]]] = {}
        self._sending: asyncio.Task[None] | None = None  # the batch out; held: the loop keeps weak refs
        self._conn: Any = None
        self._closed = False
        self._count = 0  # lookups waiting, each client counted (`_waiting` holds one key once)
        self._expected = 1  # lookups the next batch waits for, at most
        self._seen: int | None = None  # lookups waiting at the last turn `_gather` looked
        self._last_batch = 0
        self._quiet = 0  # turns in a row in which no lookup came

    async def fetch(self, params: dict[str, Any]) -> Any | None:
        if self._closed:
            raise RuntimeError("the job store is closed")
        loop = asyncio.get_running_loop()
        found = loop.create_future()
        self._waiting.setdefault(tuple(self._args(params)), []).append(found)
        self._count += 1
        if self._sending is None and self._seen is None:
            self._seen = 0
            loop.call_soon(self._gather)
        return await found

    def _gather(self) -> None:
        """Once a turn while lookups wait and none is out: send them if as many wait as expected,
        or if none came for QUIET_TURNS turns; otherwise look again next turn."""
        if self._sending is not None or not self._waiting or self._closed:
            self._seen = None
            return
        self._quiet = self._quiet + 1 if self._count == self._seen else 0
        if self._count >= self._expected or self._quiet >= QUIET_TURNS:
            self._seen = None
            self._send()
        else:
            self._seen = self._count
            asyncio.get_running_loop().call_soon(self._gather)

    def _send(self) -> None:
        batch, self._waiting = self._waiting, {}
        self._last_batch, self._count = self._count, 0
        self._sending = asyncio.get_running_loop().create_task(self._answer(batch))
        self._sending.add_done_callback(self._sent)

    def _sent(self, _: asyncio.Task[None]) -> None:
        """The clients just answered are expected back: the next batch waits for them as long as
        lookups keep coming. Sent as soon as the loop had run what was ready, it took the one or
        two lookups already waiting, and the answered clients' requests then waited for that
        statement: batches of 1 and 7 took turns at 8 clients, twice the statements of batches of
        8 (2026-11-30-next-batch-turns.md); and answers now leave together at the end of a turn
        (http/one_write.py), so their clients' next requests come later still."""
        self._sending = None
        self._expected = max(1, self._last_batch + self._count)
        if self._count and self._seen is None:
            self._seen = 0
            asyncio.get_running_loop().call_soon(self._gather)

    async def _read(self, keys: list[Any]) -> list[Any]:
        if self._conn is None:
            self._conn = await self._pool.connect()
        return await self._conn.fetch(self._batch_sql, keys)

    async def _answer(self, batch: dict[tuple[Any, ...], list[asyncio.Future[Any]]]) -> None:
        waiting = [f for futures in batch.values() for f in futures]
        try:
            rows = await self._read(list({key[self._primary] for key in batch}))
            found = {getattr(row, self._primary_name): row for row in map(self._made, rows)}
        except asyncio.CancelledError:
            self._drop()
            for f in waiting:
                f.cancel()
            raise
        except Exception as failed:  # each lookup fails as it would have alone
            self._drop()  # the connection may be broken: the next batch opens another
            for f in waiting:
                if not f.done():
                    f.set_exception(failed)
            return
        for key, futures in batch.items():
            row = found.get(key[self._primary])
            if row is not None and tuple(getattr(row, name) for name in self._order) != key:
                row = None
            for f in futures:
                if not f.done():
                    f.set_result(row)

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.terminate()

    async def close(self) -> None:
        self._closed = True
        for futures in self._waiting.values():
            for f in futures:
                f.cancel()
        self._waiting = {}
        if self._sending is not None:
            self._sending.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sending
        conn, self._conn = self._conn, None
        if conn is not None:
            await conn.close()
