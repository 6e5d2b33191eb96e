from enum import StrEnum


class BudgetChangeType0Period(StrEnum):
    DAY = "day"
    MONTH = "month"

    def __str__(self) -> str:
        return str(self.value)
