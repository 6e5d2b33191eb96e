"""Active-job slots: per tenant and per key, how many jobs are queued or in progress.

A new job takes its slots in its insert's transaction, each with one conditional upsert that is
refused once the limit is reached; a job gives them back in the transaction that ends it
(completed, failed, discarded or deleted). Counting the active jobs at every create instead cost
more the more jobs ran (an index scan per create: ~0.4 ms at a thousand active jobs, growing), and
two instances could both count 199 of 200 and both insert; a counter cannot be overtaken.
"""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import Insert, Integer, String, bindparam, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from ..domain import JobRecord
from .direct_writes import Statement
from .models import ActiveJobSlotsRow

SLOTS = ActiveJobSlotsRow.__table__
UNLIMITED = 2**31 - 1  # a key without a limit of its own is still counted, should it get one


class SlotRefused(Exception):
    """A tenant or key has all its slots taken; nothing was taken anywhere."""

    def __init__(self, scope: str, active: int, limit: int) -> None:
        super().__init__(f"{scope}: {active} active jobs, limit {limit}")
        self.scope = scope
        self.active = active
        self.limit = limit


def _scopes(job: JobRecord, tenant_limit: int, key_limit: int | None) -> list[tuple[str, str, int]]:
    scopes = [("tenant", job.tenant, tenant_limit)]
    if job.key_id is not None:
        scopes.append(("key", job.key_id, UNLIMITED if key_limit is None else key_limit))
    return scopes


@functools.cache
def _take(dialect_name: str) -> Insert:
    """Built once per dialect: a slot taken unless `limit` are held (rowcount 0 then), a scope's
    first included (nothing is inserted under a limit of 0)."""
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    first = select(
        bindparam("slot_scope", type_=String()), bindparam("slot_id", type_=String()), literal(1)
    ).where(bindparam("limit", type_=Integer()) > 0)
    upsert = dialect.insert(SLOTS).from_select(["scope", "scope_id", "active"], first)
    return upsert.on_conflict_do_update(
        index_elements=[SLOTS.c.scope, SLOTS.c.scope_id],
        set_={"active": SLOTS.c.active + 1},
        where=SLOTS.c.active < bindparam("limit", type_=Integer()),
    )


_GIVE_BACK = (
    update(SLOTS)
    .where(
        SLOTS.c.scope == bindparam("slot_scope"), SLOTS.c.scope_id == bindparam("slot_id"), SLOTS.c.active > 0
    )
    .values(active=SLOTS.c.active - 1)
)


async def take(
    db: AsyncConnection | AsyncSession, job: JobRecord, *, tenant_limit: int, key_limit: int | None
) -> None:
    """One slot of the job's tenant and of its key, or SlotRefused (the caller's transaction then
    rolls back, so no counter keeps a slot)."""
    statement = _take(_dialect_name(db))
    for scope, scope_id, limit in _scopes(job, tenant_limit, key_limit):
        params = {"slot_scope": scope, "slot_id": scope_id, "limit": limit}
        if (await db.execute(statement, params)).rowcount != 1:
            raise await refusal(db, params)


@functools.cache
def _direct_take(dialect: Any) -> Statement:
    return Statement(_take(dialect.name), dialect)


def direct_takes(
    dialect: Any, job: JobRecord, *, tenant_limit: int, key_limit: int | None
) -> list[tuple[Statement, dict[str, Any]]]:
    """take's statements for DirectWrites.run: a step that changes no row is a refused slot."""
    statement = _direct_take(dialect)
    return [
        (statement, {"slot_scope": scope, "slot_id": scope_id, "limit": limit})
        for scope, scope_id, limit in _scopes(job, tenant_limit, key_limit)
    ]


async def refusal(db: AsyncConnection | AsyncSession, params: dict[str, Any]) -> SlotRefused:
    """What a refused take says: how many of the scope's slots are taken, of how many."""
    scope, scope_id = params["slot_scope"], params["slot_id"]
    return SlotRefused(scope, await active(db, scope, scope_id), params["limit"])


async def give_back(db: AsyncConnection | AsyncSession, job: JobRecord) -> None:
    """The job stopped being active (in the transaction that says so)."""
    for scope, scope_id, _ in _scopes(job, 0, None):
        await db.execute(_GIVE_BACK, {"slot_scope": scope, "slot_id": scope_id})


async def active(db: AsyncConnection | AsyncSession, scope: str, scope_id: str) -> int:
    found = await db.scalar(
        select(SLOTS.c.active).where(SLOTS.c.scope == scope, SLOTS.c.scope_id == scope_id)
    )
    return int(found or 0)


def _dialect_name(db: AsyncConnection | AsyncSession) -> str:
    bind = db.bind if isinstance(db, AsyncSession) else db
    return bind.dialect.name
