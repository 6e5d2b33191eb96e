from enum import StrEnum


class OpenAIVideoDeletedObject(StrEnum):
    VIDEO_DELETED = "video.deleted"

    def __str__(self) -> str:
        return str(self.value)
