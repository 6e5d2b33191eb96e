"""aiosqlite's interface with the thread taken out: SQLite calls run on the event loop.

aiosqlite sends every call (execute, fetch, commit, cursor close...) to a worker thread and back.
On the 2-core machines this runs on, each such hop costs 0.3-1 ms, a dozen hops per request,
while the SQLite work itself is 10-100 µs (WAL, synchronous=NORMAL, indexed lookups). So the
embedded store does its SQLite work inline. The price, accepted: a call waiting on another
process's write lock (the `vidgate keys` CLI, say) holds the loop for that long, bounded by the
busy timeout set in engine.open_engine.
"""

from __future__ import annotations

import asyncio
import sqlite3
import types
from collections.abc import Callable
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import AsyncAdapt_aiosqlite_dbapi


class _RunNow:
    """Stands in for aiosqlite's queue to its thread: each call runs as it is queued."""

    def put_nowait(self, item: tuple[asyncio.Future[Any] | None, Callable[[], Any]]) -> None:
        future, function = item
        try:
            result = function()
        except BaseException as exc:
            if future is None:
                raise
            future.set_exception(exc)
        else:
            if future is not None:
                future.set_result(result)


class InlineConnection(aiosqlite.Connection):
    def __init__(self, connector: Callable[[], sqlite3.Connection], iter_chunk_size: int) -> None:
        super().__init__(connector, iter_chunk_size)
        self._tx = _RunNow()  # type: ignore[assignment]

    def __await__(self):  # type: ignore[no-untyped-def]
        return self._connect().__await__()  # no thread to start

    @property
    def sqlite(self) -> sqlite3.Connection:
        """The sqlite3 connection itself (its calls are inline anyway): for store.direct_writes."""
        return self._conn


def _connect(database: Any, *, iter_chunk_size: int = 64, **kwargs: Any) -> InlineConnection:
    return InlineConnection(lambda: sqlite3.connect(database, **kwargs), iter_chunk_size)


def inline_dbapi() -> AsyncAdapt_aiosqlite_dbapi:
    """The `module` for create_async_engine: SQLAlchemy's aiosqlite adapter over InlineConnection."""
    module = types.SimpleNamespace(**vars(aiosqlite))
    module.connect = _connect
    module.Connection = InlineConnection
    return AsyncAdapt_aiosqlite_dbapi(module, sqlite3)  # type: ignore[arg-type]


def runs_inline(engine: Any) -> bool:
    """Whether `engine` was built over inline_dbapi (its SQLite calls run on the loop)."""
    module = getattr(engine.dialect.dbapi, "aiosqlite", None)
    return getattr(module, "Connection", None) is InlineConnection
