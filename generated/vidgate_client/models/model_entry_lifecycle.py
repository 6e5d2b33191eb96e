from enum import StrEnum


class ModelEntryLifecycle(StrEnum):
    AVAILABLE = "available"
    DEPRECATED = "deprecated"
    PREVIEW = "preview"
    RETIRED = "retired"

    def __str__(self) -> str:
        return str(self.value)
