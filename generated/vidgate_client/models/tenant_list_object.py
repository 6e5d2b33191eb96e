from enum import StrEnum


class TenantListObject(StrEnum):
    LIST = "list"

    def __str__(self) -> str:
        return str(self.value)
