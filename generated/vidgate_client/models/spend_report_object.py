from enum import StrEnum


class SpendReportObject(StrEnum):
    SPEND = "spend"

    def __str__(self) -> str:
        return str(self.value)
