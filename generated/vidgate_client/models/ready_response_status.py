from enum import StrEnum


class ReadyResponseStatus(StrEnum):
    READY = "ready"

    def __str__(self) -> str:
        return str(self.value)
