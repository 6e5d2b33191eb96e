"""The hot writes beside the engine: a create's insert (with its active-job slots) and every
compare-and-set transition (the upstream id after a create, each poll of the worker).

Through SQLAlchemy's async engine each cost 0.3-0.4 ms of CPU on SQLite, around ~30 µs of
SQLite's own work (per statement the execution context, the greenlet hops, the aiosqlite
adapter), and on PostgreSQL the pool's pre-ping, BEGIN and COMMIT round trips besides. So the
statements are still built and compiled by SQLAlchemy (its SQL for the dialect, its parameter
order, its bind processors: JSON is encoded as the engine encodes it), and only their execution is
direct:
- SQLite: on the engine's own connection, checked out of its pool (one connection, so this
  process's transactions still take turns on it and none waits on another's lock) and committed
  or rolled back before it goes back. While it sits in the pool (most of the time) it is used as
  it sits, without the checkout's ~70 µs: the transaction is one synchronous call on the event
  loop, so no other coroutine can take the connection meanwhile.
- PostgreSQL: on the side pool (side_pool); a single statement runs without BEGIN and COMMIT (it
  is atomic on its own), several in one transaction.
Errors are the driver's own, which store.errors tells apart as the engine's (a database that is
away or busy is an outage, not a bug).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.dml import UpdateBase

from .inline_sqlite import runs_inline
from .side_pool import SidePool


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


Steps = Sequence[tuple[Statement, Mapping[str, Any]]]


class DirectWrites:
    """Runs statements that each change exactly one row, all or none."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.dialect = engine.dialect

    @classmethod
    def for_engine(cls, engine: AsyncEngine, pool: SidePool | None) -> DirectWrites | None:
        """For PostgreSQL (on `pool`) or a SQLite file whose calls run inline (see inline_sqlite);
        None keeps the engine's path."""
        if pool is not None:
            return PostgresDirectWrites(engine, pool)
        if engine.url.get_backend_name() == "sqlite" and runs_inline(engine):
            return SqliteDirectWrites(engine)
        return None

    async def run(self, steps: Steps) -> int | None:
        """Run the steps in one transaction and commit; if one changes no row (a slot refused, a
        lease lost), roll back and return its index."""
        raise NotImplementedError


class SqliteDirectWrites(DirectWrites):
    def __init__(self, engine: AsyncEngine) -> None:
        super().__init__(engine)
        self._engine = engine
        self._idle: sqlite3.Connection | None = None  # the pool's connection while it is checked in
        pool = engine.sync_engine.pool  # its listeners go with it when dispose() recreates it
        event.listen(pool, "checkin", self._checked_in)
        for taken_or_gone in ("checkout", "invalidate", "close", "detach"):
            event.listen(pool, taken_or_gone, self._unavailable)

    def _checked_in(self, dbapi_connection: Any, record: Any) -> None:
        self._idle = None if dbapi_connection is None else record.driver_connection.sqlite

    def _unavailable(self, *_: Any) -> None:
        self._idle = None

    async def run(self, steps: Steps) -> int | None:
        idle = self._idle
        if idle is not None and not idle.in_transaction:
            return _sqlite_transaction(idle, steps)
        async with self._engine.connect() as conn:  # in use: wait for it as the engine would
            db = (await conn.get_raw_connection()).driver_connection.sqlite  # type: ignore[union-attr]
            return _sqlite_transaction(db, steps)


def _sqlite_transaction(db: sqlite3.Connection, steps: Steps) -> int | None:
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


class _Refused(Exception):
    def __init__(self, index: int) -> None:
        self.index = index


def _one_row(status: str) -> bool:
    """asyncpg's command status: "UPDATE 1", "INSERT 0 1" (an upsert refused: "INSERT 0 0")."""
    return status.endswith(" 1")


class PostgresDirectWrites(DirectWrites):
    def __init__(self, engine: AsyncEngine, pool: SidePool) -> None:
        super().__init__(engine)
        self._pool = pool

    async def run(self, steps: Steps) -> int | None:
        pool = await self._pool.opened()
        if len(steps) == 1:
            statement, params = steps[0]
            return None if _one_row(await pool.execute(statement.sql, *statement.args(params))) else 0
        try:
            async with pool.acquire() as conn, conn.transaction():
                for index, (statement, params) in enumerate(steps):
                    if not _one_row(await conn.execute(statement.sql, *statement.args(params))):
                        raise _Refused(index)  # rolls the transaction back
        except _Refused as refused:
            return refused.index
        return None
