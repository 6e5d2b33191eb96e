"""A small asyncpg pool beside the engine's, for the statements that skip the engine on
PostgreSQL: the hot writes (direct_writes), and a connection of its own for a job's lookup
(point_reads).

Through the engine each cost four round trips or more (the pool's pre-ping, BEGIN, the
statement, COMMIT or ROLLBACK) and ~0.5 ms of the gateway's CPU around the database's own work.
Its connections encode and decode JSON exactly as SQLAlchemy's asyncpg dialect sets up its own
(setup_asyncpg_json_codec): out as the text SQLAlchemy's bind processor made, back decoded.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

POOL_SIZE = 4  # connections per process, beside the engine's pool


def _json_out(text: str) -> bytes:
    return text.encode()


def _json_in(raw: bytes) -> Any:
    return json.loads(raw.decode())


def _jsonb_out(text: str) -> bytes:
    return b"\x01" + text.encode()  # jsonb's binary format: a version byte, then the text


def _jsonb_in(raw: bytes) -> Any:
    return json.loads(raw[1:].decode())


async def _keep_session(conn: Any) -> None:
    """Nothing to reset on release: these connections hold no session state (no SET, LISTEN,
    advisory lock or cursor). asyncpg's default reset sends four statements (an extra round trip
    per lookup, and PostgreSQL's CPU for each); an open transaction is still rolled back first."""


async def _json_codecs(conn: Any) -> None:
    for kind, encoder, decoder in (("json", _json_out, _json_in), ("jsonb", _jsonb_out, _jsonb_in)):
        await conn.set_type_codec(
            kind, encoder=encoder, decoder=decoder, schema="pg_catalog", format="binary"
        )


def asyncpg_dsn(engine: AsyncEngine) -> str:
    """The engine's database as a DSN asyncpg takes on its own."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


class SidePool:
    """Opened on first use, in the running loop; the engine's URL, its own connections."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._dsn = asyncpg_dsn(engine)
        self._pool: Any = None
        self._opening = asyncio.Lock()

    @classmethod
    def for_engine(cls, engine: AsyncEngine) -> SidePool | None:
        return cls(engine) if engine.url.get_backend_name() == "postgresql" else None

    async def opened(self) -> Any:
        if self._pool is None:
            async with self._opening:
                if self._pool is None:
                    import asyncpg

                    self._pool = await asyncpg.create_pool(
                        self._dsn, min_size=1, max_size=POOL_SIZE, init=_json_codecs, reset=_keep_session
                    )
        return self._pool

    async def connect(self) -> Any:
        """A connection of the caller's own, outside the pool, with the pool's codecs: for one
        statement run again and again (point_reads), where taking a connection from the pool and
        giving it back cost more of the gateway's CPU than the statement (~60 µs of ~140)."""
        import asyncpg

        conn = await asyncpg.connect(self._dsn)
        await _json_codecs(conn)
        return conn

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None
