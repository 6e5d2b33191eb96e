from enum import StrEnum


class ModelEntryCapabilitiesItem(StrEnum):
    VIDEO_CHARACTER = "video_character"
    VIDEO_DELETE = "video_delete"
    VIDEO_DOWNLOAD = "video_download"
    VIDEO_EDIT = "video_edit"
    VIDEO_EXTEND = "video_extend"
    VIDEO_GENERATION = "video_generation"
    VIDEO_LIST = "video_list"
    VIDEO_REMIX = "video_remix"
    VIDEO_RETRIEVE = "video_retrieve"

    def __str__(self) -> str:
        return str(self.value)
