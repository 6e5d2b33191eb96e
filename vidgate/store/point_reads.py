"""A job read by its key on a plain sqlite3 connection, for the embedded store.

A retrieve is one indexed SELECT that SQLite answers in ~20 µs; through SQLAlchemy's async
engine (pool checkout, greenlet hops, the aiosqlite adapter, result processing) it cost ~0.2 ms,
the largest part of a lookup once the HTTP layers were trimmed (see http/shortcut). This runs
the very statement SQLAlchemy compiles for `_BY_KEY`, on a read-only connection of its own, and
passes each column through the result processor of its SQLAlchemy type, so rows come out as the
engine would give them. WAL lets it read the last committed state while the engine's
connection writes; PostgreSQL keeps the engine.
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


class PointReads:
    def __init__(self, path: str, table: Table, query: Select[Any], dialect: Any) -> None:
        compiled = query.compile(dialect=dialect)
        self._sql = str(compiled)
        self._order = compiled.positiontup or ()
        names = [c.name for c in compiled.statement.selected_columns]
        columns = [table.c[name] for name in names]
        self._processors = [c.type.result_processor(dialect, None) for c in columns]
        self._row = collections.namedtuple("JobRow", names)  # type: ignore[misc]
        self._path = path
        self._conn: sqlite3.Connection | None = None

    @classmethod
    def for_engine(cls, engine: AsyncEngine, table: Table, query: Select[Any]) -> PointReads | None:
        """Only for a SQLite file whose calls run inline (a `:memory:` database is one connection's)."""
        url = engine.url
        if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
            return None
        if not runs_inline(engine):
            return None  # aiosqlite with its thread (library tuning off): keep the engine's path
        return cls(url.database, table, query, engine.dialect)

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

    def fetch(self, params: dict[str, Any]) -> Any | None:
        """The row as SQLAlchemy's Core would give it (attribute access), or None."""
        # fetchall: the statement runs to its end, so no read transaction stays open
        rows = self._connection().execute(self._sql, [params[name] for name in self._order]).fetchall()
        if not rows:
            return None
        return self._row(*(v if p is None else p(v) for p, v in zip(self._processors, rows[0], strict=True)))

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
