"""API keys kept in the store: only SHA-256 digests at rest; revocable; each with optional limits
(requests per minute, concurrent jobs) and a budget in dollars per period."""

from __future__ import annotations

import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from ..domain import Budget, BudgetPeriod, key_digest
from .models import ApiKeyRow

EDITABLE = ("name", "requests_per_minute", "max_active_jobs", "budget_usd", "budget_period")


@dataclass(frozen=True)
class StoredKey:
    id: str
    tenant: str
    name: str
    created_at: float
    revoked_at: float | None = None
    requests_per_minute: int | None = None
    max_active_jobs: int | None = None
    budget: Budget | None = None

    @classmethod
    def from_row(cls, row: ApiKeyRow) -> StoredKey:
        budget = None
        if row.budget_usd is not None and row.budget_period:
            budget = Budget(row.budget_usd, BudgetPeriod(row.budget_period))
        return cls(
            row.id,
            row.tenant,
            row.name,
            row.created_at,
            row.revoked_at,
            row.requests_per_minute,
            row.max_active_jobs,
            budget,
        )


class ApiKeyStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._session = async_sessionmaker(engine, expire_on_commit=False)

    async def create(self, tenant: str, name: str, **limits: Any) -> tuple[str, StoredKey]:
        """A new key (limits: requests_per_minute, max_active_jobs, budget_usd, budget_period); the
        plain key is returned once and never stored."""
        plain = "vg-" + secrets.token_urlsafe(32)
        row = ApiKeyRow(
            id="key_" + uuid.uuid4().hex[:16],
            tenant=tenant,
            name=name,
            key_hash=key_digest(plain).hex(),
            created_at=time.time(),
            **{k: v for k, v in limits.items() if k in EDITABLE},
        )
        async with self._session.begin() as s:
            s.add(row)
        return plain, StoredKey.from_row(row)

    async def find(self, key_hash: str) -> StoredKey | None:
        async with self._session() as s:
            row = await s.scalar(select(ApiKeyRow).where(ApiKeyRow.key_hash == key_hash))
            return StoredKey.from_row(row) if row else None

    async def get(self, key_id: str) -> StoredKey | None:
        async with self._session() as s:
            row = await s.get(ApiKeyRow, key_id)
            return StoredKey.from_row(row) if row else None

    async def list(self, tenant: str | None = None) -> list[StoredKey]:
        query = select(ApiKeyRow).order_by(ApiKeyRow.created_at)
        if tenant:
            query = query.where(ApiKeyRow.tenant == tenant)
        async with self._session() as s:
            return [StoredKey.from_row(r) for r in await s.scalars(query)]

    async def update(self, key_id: str, **fields: Any) -> StoredKey | None:
        """Change the given fields (None clears a limit); None when there is no such key."""
        async with self._session.begin() as s:
            row = await s.get(ApiKeyRow, key_id)
            if row is None:
                return None
            for name, value in fields.items():
                if name in EDITABLE:
                    setattr(row, name, value)
        return StoredKey.from_row(row)

    async def revoke(self, key_id: str) -> bool:
        async with self._session.begin() as s:
            result = await s.execute(
                update(ApiKeyRow)
                .where(ApiKeyRow.id == key_id, ApiKeyRow.revoked_at.is_(None))
                .values(revoked_at=time.time())
            )
            return result.rowcount == 1
