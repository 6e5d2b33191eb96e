from enum import StrEnum


class OpenaiVideoDownloadContentVariant(StrEnum):
    SPRITESHEET = "spritesheet"
    SPRITE_SHEET = "sprite_sheet"
    THUMBNAIL = "thumbnail"
    VIDEO = "video"

    def __str__(self) -> str:
        return str(self.value)
