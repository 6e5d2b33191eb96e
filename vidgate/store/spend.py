"""Budget counters: per key or tenant and period, what was spent and what running jobs hold.

Every change is one conditional UPDATE inside the caller's transaction, so a reservation is
checked and taken atomically however many instances create jobs at once (a row lock on
PostgreSQL, the write lock on SQLite). Amounts are integer micro-dollars: they add up exactly.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from ..domain import Reservation
from .models import SpendPeriodRow

MICRO = 1_000_000


def micro(usd: float) -> int:
    return round(usd * MICRO)


class ReservationRefused(Exception):
    """A counter has less left than the amount asked; nothing was reserved anywhere."""

    def __init__(self, reservation: Reservation, spent_usd: float, reserved_usd: float) -> None:
        super().__init__(f"{reservation.scope} {reservation.scope_id}: budget left is less than asked")
        self.reservation = reservation
        self.spent_usd = spent_usd
        self.reserved_usd = reserved_usd


def _counter(reservation: Reservation):  # type: ignore[no-untyped-def]
    return (
        SpendPeriodRow.scope == reservation.scope,
        SpendPeriodRow.scope_id == reservation.scope_id,
        SpendPeriodRow.period == reservation.period,
    )


async def _ensure(session: AsyncSession, reservation: Reservation) -> None:
    values = {
        "scope": reservation.scope,
        "scope_id": reservation.scope_id,
        "period": reservation.period,
        "spent_micro_usd": 0,
        "reserved_micro_usd": 0,
    }
    dialect = postgresql if session.bind.dialect.name == "postgresql" else sqlite
    await session.execute(dialect.insert(SpendPeriodRow).values(**values).on_conflict_do_nothing())


async def reserve(session: AsyncSession, reservations: Iterable[Reservation], amount_usd: float) -> None:
    """Take `amount_usd` from every counter, or raise ReservationRefused (the caller's transaction
    then rolls back, so no counter keeps a partial reservation)."""
    amount = micro(amount_usd)
    for reservation in reservations:
        await _ensure(session, reservation)
        taken = await session.execute(
            update(SpendPeriodRow)
            .where(
                *_counter(reservation),
                SpendPeriodRow.spent_micro_usd + SpendPeriodRow.reserved_micro_usd + amount
                <= micro(reservation.limit_usd),
            )
            .values(reserved_micro_usd=SpendPeriodRow.reserved_micro_usd + amount)
        )
        if taken.rowcount != 1:
            row = (await session.execute(select(SpendPeriodRow).where(*_counter(reservation)))).scalar_one()
            raise ReservationRefused(reservation, row.spent_micro_usd / MICRO, row.reserved_micro_usd / MICRO)


async def settle(
    session: AsyncSession, reservations: Iterable[Reservation], reserved_usd: float, cost_usd: float
) -> None:
    """The job finished: what it held is released and what it cost is spent (0 for a failure)."""
    held, spent = micro(reserved_usd), micro(cost_usd)
    for reservation in reservations:
        await session.execute(
            update(SpendPeriodRow)
            .where(*_counter(reservation))
            .values(
                reserved_micro_usd=SpendPeriodRow.reserved_micro_usd - held,
                spent_micro_usd=SpendPeriodRow.spent_micro_usd + spent,
            )
        )


class SpendCounters:
    """Reads of the counters (the writes happen inside job transactions, above)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._session = async_sessionmaker(engine, expire_on_commit=False)

    async def read(self, scope: str, scope_id: str, period: str) -> tuple[float, float]:
        """(spent, reserved) in dollars; a counter nobody touched yet is (0, 0)."""
        async with self._session() as s:
            row = await s.scalar(
                select(SpendPeriodRow).where(
                    SpendPeriodRow.scope == scope,
                    SpendPeriodRow.scope_id == scope_id,
                    SpendPeriodRow.period == period,
                )
            )
        if row is None:
            return 0.0, 0.0
        return row.spent_micro_usd / MICRO, row.reserved_micro_usd / MICRO
