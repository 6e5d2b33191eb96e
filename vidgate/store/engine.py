"""Engine construction per backend, and schema migration at start-up."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
# Any constant shared by all instances: serialises concurrent start-ups on PostgreSQL.
_MIGRATION_LOCK_KEY = 0x76696467  # "vidg"


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()


def open_engine(url: str) -> AsyncEngine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 30})
        _sqlite_pragmas(engine.sync_engine)
        return engine
    return create_async_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True)


def open_inline_reader(engine: AsyncEngine) -> Engine | None:
    """For a SQLite file: a plain (synchronous) engine whose point reads run on the event loop.

    A WAL reader never waits for a writer, and a primary-key lookup costs ~20 µs, while each hop
    to aiosqlite's thread costs 0.3-1 ms on a busy 2-core machine (three hops per query). Writes
    stay on aiosqlite: they can wait on another process's lock. PostgreSQL needs none of this
    (asyncpg has no thread hop)."""
    url = engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    reader = create_engine(url.set(drivername="sqlite"), connect_args={"timeout": 30})
    _sqlite_pragmas(reader)
    return reader


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    """The newest migration, by the numbered file names (a test checks alembic agrees)."""
    return max(p.name.split("_", 1)[0] for p in (MIGRATIONS / "versions").glob("[0-9]*_*.py"))


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
