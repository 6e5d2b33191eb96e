"""A job read by its key beside the async engine: the one read every lookup makes.

Through SQLAlchemy's async engine it cost far more than the database's own work. On SQLite
(~20 µs of work) it cost ~0.2 ms: pool checkout, greenlet hops, the aiosqlite adapter, result
processing. On PostgreSQL it cost ~0.8 ms of the gateway's CPU and four round trips: the pool's
pre-ping, BEGIN, the SELECT and the ROLLBACK that returns the connection.

So this runs the very statement SQLAlchemy compiles for the read (its SQL and parameter order for
the dialect), in one call: on SQLite on a read-only sqlite3 connection of its own (WAL lets it read
the last committed state while the engine's connection writes), on PostgreSQL on a small asyncpg
pool beside the engine's (side_pool; one round trip, no transaction: a single SELECT is atomic).
Columns go through their SQLAlchemy result processors, and JSON is decoded as the engine's asyncpg
codecs decode it, so rows come out as the engine would give them.
"""

from __future__ import annotations

import collections
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Select, Table
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


class PostgresPointReads(PointReads):
    def __init__(self, engine: AsyncEngine, table: Table, query: Select[Any], pool: SidePool) -> None:
        super().__init__(table, query, engine.dialect)
        self._pool = pool

    async def fetch(self, params: dict[str, Any]) -> Any | None:
        found = await (await self._pool.opened()).fetchrow(self._sql, *self._args(params))
        return None if found is None else self._made(tuple(found))

    async def close(self) -> None:
        """The pool is the store's to close."""
