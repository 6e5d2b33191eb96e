from enum import StrEnum


class VideoCharacterObject(StrEnum):
    VIDEO_CHARACTER = "video.character"

    def __str__(self) -> str:
        return str(self.value)
