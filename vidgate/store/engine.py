"""Engine construction per backend, and schema migration at start-up."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, event, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from .inline_sqlite import inline_dbapi

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Any constant shared by all instances: serialises concurrent start-ups on PostgreSQL.
_MIGRATION_LOCK_KEY = 0x76696467  # "vidg"
# How long a SQLite call waits for another process's write lock (the `vidgate keys` CLI, say);
# "database is locked" after that is a 503 the client can retry.
BUSY_TIMEOUT_S = 5.0


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        cur.close()


def open_engine(url: str, *, inline_sqlite: bool = True) -> AsyncEngine:
    """inline_sqlite=False: SQLAlchemy's aiosqlite dialect as it ships (a thread per connection)."""
    if url.startswith("sqlite") and not inline_sqlite:
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})
        _sqlite_pragmas(engine.sync_engine)
        return engine
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # One connection, its calls run inline (see inline_sqlite): coroutines take turns at the
        # pool, so no two transactions in this process can wait on each other's lock.
        engine = create_async_engine(
            url,
            module=inline_dbapi(),
            connect_args={"timeout": BUSY_TIMEOUT_S},
            pool_size=1,
            max_overflow=0,
            pool_timeout=60,
        )
        _sqlite_pragmas(engine.sync_engine)
        return engine
    return create_async_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True)


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    """The newest migration's revision, found by the numbered file names without importing alembic
    (a test checks alembic agrees): the file number, or the `revision` the newest file declares."""
    newest = max((MIGRATIONS / "versions").glob("[0-9]*_*.py"), key=lambda p: p.name.split("_", 1)[0])
    declared = re.search(r'^revision = ["\']([^"\']+)["\']', newest.read_text(), re.MULTILINE)
    return declared.group(1) if declared else newest.name.split("_", 1)[0]


def _stored_revision(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _upgrade(connection: Connection) -> None:
    # Already at head (every start but the first after an upgrade): alembic, ~0.3 s and ~10 MB
    # to import, is not needed.
    if _stored_revision(connection) == head_revision():
        return
    from alembic import command

    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK_KEY})
    cfg = alembic_config()
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, "head")


async def migrate(engine: AsyncEngine) -> None:
    """Apply pending migrations; safe when several instances start at once."""
    async with engine.begin() as conn:
        await conn.run_sync(_upgrade)
