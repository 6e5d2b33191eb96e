"""Telling a database that is away (down, restarting, refusing, locked) from a broken query."""

from __future__ import annotations

import errno
import sqlite3
import sys

from sqlalchemy.exc import DBAPIError

# SQLite's answers when another process holds the write lock past the busy timeout, or the file
# cannot be opened: by error code (Python 3.11+), not by message text.
_SQLITE_AWAY = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_CANTOPEN}


def _postgres_unavailable_errors() -> tuple[type[BaseException], ...]:
    """asyncpg's "server unavailable" errors, if asyncpg is in use (it is imported only for
    PostgreSQL: on SQLite it never loads, and none of its errors can occur)."""
    asyncpg = sys.modules.get("asyncpg")
    if asyncpg is None:
        return ()
    return (
        asyncpg.PostgresConnectionError,
        asyncpg.CannotConnectNowError,
        asyncpg.OperatorInterventionError,
        asyncpg.ObjectNotInPrerequisiteStateError,
        asyncpg.TooManyConnectionsError,
        asyncpg.InterfaceError,
    )


def database_unavailable(exc: BaseException) -> bool:
    """Anywhere in the chain of causes: a connection that was lost or refused, a PostgreSQL server
    that is away, or SQLite busy, locked or unopenable."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return True
        if isinstance(current, (ConnectionError, TimeoutError, *_postgres_unavailable_errors())):
            return True
        if isinstance(current, OSError) and current.errno in (errno.ECONNREFUSED, errno.ECONNRESET):
            return True
        if isinstance(current, sqlite3.Error) and getattr(current, "sqlite_errorcode", None) in _SQLITE_AWAY:
            return True
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
    return False
