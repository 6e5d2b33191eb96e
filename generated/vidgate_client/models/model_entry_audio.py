from enum import StrEnum


class ModelEntryAudio(StrEnum):
    ALWAYS = "always"
    NEVER = "never"
    OPTIONAL = "optional"

    def __str__(self) -> str:
        return str(self.value)
