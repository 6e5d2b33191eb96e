from enum import StrEnum


class BudgetStatusScope(StrEnum):
    KEY = "key"
    TENANT = "tenant"

    def __str__(self) -> str:
        return str(self.value)
