from enum import StrEnum


class VideoGenerationResponseObject(StrEnum):
    VIDEO = "video"

    def __str__(self) -> str:
        return str(self.value)
