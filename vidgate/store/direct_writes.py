"""The hot write transactions of the embedded SQLite store, run as one synchronous call on the
engine's own connection.

A create writes twice (its insert with its active-job slots, then the upstream id), and every poll
of the worker writes once. Through SQLAlchemy's async engine each of these cost 0.3-0.4 ms of
CPU, around ~30 µs of SQLite's own work: per statement the execution context, the greenlet hops,
the aiosqlite adapter. So these statements are still built and compiled by SQLAlchemy (its SQL for
the dialect, its parameter order, its bind processors: JSON is encoded as the engine encodes it),
and only their execution is direct. The connection is the engine's: checked out of its pool (one
connection, so this process's transactions still take turns on it, and none waits on another's
lock) and committed or rolled back before it goes back. While the connection sits in the pool
(most of the time) it is used as it sits, without the checkout's ~70 µs: the transaction is one
synchronous call on the event loop, so no other coroutine can take the connection meanwhile.
Errors are sqlite3's own, which store.errors tells apart as the engine's (a busy database is an
outage, not a bug).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.dml import UpdateBase

from .inline_sqlite import runs_inline


class Statement:
    """One DML statement compiled for a dialect: its SQL and how to make its positional arguments."""

    def __init__(self, statement: UpdateBase, dialect: Any, keys: Sequence[str] | None = None) -> None:
        """keys: the columns an INSERT is given (its VALUES are compiled for exactly those)."""
        compiled = statement.compile(dialect=dialect, column_keys=list(keys) if keys else None)
        self.sql = str(compiled)
        binds = compiled.binds
        self._fixed = {name: bind.value for name, bind in binds.items() if not bind.required}
        self._order = [
            (name, binds[name].type.bind_processor(dialect)) for name in compiled.positiontup or ()
        ]

    def args(self, params: Mapping[str, Any]) -> list[Any]:
        out = []
        for name, process in self._order:
            value = params[name] if name in params else self._fixed[name]
            out.append(value if process is None or value is None else process(value))
        return out


class DirectWrites:
    """Transactions of statements that each change exactly one row, on a SQLite file whose calls
    run inline (see inline_sqlite); `for_engine` gives None for any other engine."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self.dialect = engine.dialect
        self._idle: sqlite3.Connection | None = None  # the pool's connection while it is checked in
        pool = engine.sync_engine.pool  # its listeners go with it when dispose() recreates it
        event.listen(pool, "checkin", self._checked_in)
        for taken_or_gone in ("checkout", "invalidate", "close", "detach"):
            event.listen(pool, taken_or_gone, self._unavailable)

    def _checked_in(self, dbapi_connection: Any, record: Any) -> None:
        self._idle = None if dbapi_connection is None else record.driver_connection.sqlite

    def _unavailable(self, *_: Any) -> None:
        self._idle = None

    @classmethod
    def for_engine(cls, engine: AsyncEngine) -> DirectWrites | None:
        url = engine.url
        if url.get_backend_name() != "sqlite" or not runs_inline(engine):
            return None
        return cls(engine)

    async def run(self, steps: Sequence[tuple[Statement, Mapping[str, Any]]]) -> int | None:
        """Run the steps in one transaction and commit; if one changes no row (a slot refused, a
        lease lost), roll back and return its index."""
        idle = self._idle
        if idle is not None and not idle.in_transaction:
            return _transaction(idle, steps)
        async with self._engine.connect() as conn:  # in use: wait for it as the engine would
            db = (await conn.get_raw_connection()).driver_connection.sqlite  # type: ignore[union-attr]
            return _transaction(db, steps)


def _transaction(db: sqlite3.Connection, steps: Sequence[tuple[Statement, Mapping[str, Any]]]) -> int | None:
    db.execute("BEGIN")
    try:
        for index, (statement, params) in enumerate(steps):
            if db.execute(statement.sql, statement.args(params)).rowcount != 1:
                db.rollback()
                return index
        db.commit()
    except BaseException:
        db.rollback()
        raise
    return None
