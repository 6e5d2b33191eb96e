from enum import StrEnum


class UsageResponseObject(StrEnum):
    USAGE = "usage"

    def __str__(self) -> str:
        return str(self.value)
