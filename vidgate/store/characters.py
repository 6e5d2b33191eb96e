"""CharacterStore: the characters table (named clips of a tenant's, cast in later videos)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from ..domain import Character
from .models import CharacterRow


def _character(row: CharacterRow) -> Character:
    return Character(
        id=row.id,
        tenant=row.tenant,
        name=row.name,
        created_at=row.created_at,
        asset_id=row.asset_id,
        assets=dict(row.assets or {}),
        key_id=row.key_id,
        seconds=row.seconds,
        size=row.size,
    )


class CharacterStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._session = async_sessionmaker(engine, expire_on_commit=False)

    async def insert(self, character: Character) -> None:
        async with self._session.begin() as s:
            s.add(
                CharacterRow(
                    id=character.id,
                    tenant=character.tenant,
                    key_id=character.key_id,
                    name=character.name,
                    asset_id=character.asset_id,
                    assets=character.assets,
                    seconds=character.seconds,
                    size=character.size,
                    created_at=character.created_at,
                )
            )

    async def get(self, tenant: str, character_id: str) -> Character | None:
        """The tenant's character; another tenant's is indistinguishable from none."""
        async with self._session() as s:
            row = await s.scalar(
                select(CharacterRow).where(CharacterRow.id == character_id, CharacterRow.tenant == tenant)
            )
        return _character(row) if row else None

    async def get_by_id(self, character_id: str) -> Character | None:
        async with self._session() as s:
            row = await s.get(CharacterRow, character_id)
        return _character(row) if row else None
