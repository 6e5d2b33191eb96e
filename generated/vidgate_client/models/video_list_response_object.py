from enum import StrEnum


class VideoListResponseObject(StrEnum):
    LIST = "list"

    def __str__(self) -> str:
        return str(self.value)
