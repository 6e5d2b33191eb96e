from enum import StrEnum


class ModelEntryOperationsItem(StrEnum):
    EDIT = "edit"
    EXTEND = "extend"
    REMIX = "remix"

    def __str__(self) -> str:
        return str(self.value)
