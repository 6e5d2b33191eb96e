from enum import StrEnum


class VideoObjectObject(StrEnum):
    VIDEO = "video"

    def __str__(self) -> str:
        return str(self.value)
