from enum import StrEnum


class OpenAIVideoObject(StrEnum):
    VIDEO = "video"

    def __str__(self) -> str:
        return str(self.value)
