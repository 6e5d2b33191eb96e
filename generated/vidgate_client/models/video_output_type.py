from enum import StrEnum


class VideoOutputType(StrEnum):
    BASE64 = "base64"
    URL = "url"

    def __str__(self) -> str:
        return str(self.value)
