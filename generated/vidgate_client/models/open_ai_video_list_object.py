from enum import StrEnum


class OpenAIVideoListObject(StrEnum):
    LIST = "list"

    def __str__(self) -> str:
        return str(self.value)
