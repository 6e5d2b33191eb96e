"""Images and videos a caller hands over (reference frames, source clips), recognised by their bytes,
not their claims."""

from __future__ import annotations

import base64
from dataclasses import dataclass


@dataclass(frozen=True)
class ImageInput:
    data: bytes
    mime_type: str

    @property
    def filename(self) -> str:
        return "reference." + self.mime_type.split("/")[1].replace("jpeg", "jpg")

    def base64(self) -> str:
        return base64.b64encode(self.data).decode()

    def data_url(self) -> str:
        return f"data:{self.mime_type};base64,{self.base64()}"


def sniff_image_type(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


@dataclass(frozen=True)
class VideoInput:
    """An uploaded source video, decoded once to check it: what it is, not what it claims to be."""

    data: bytes
    mime_type: str  # video/mp4, video/webm, ...
    seconds: float
    width: int
    height: int
    fps: float

    @property
    def filename(self) -> str:
        return "source." + {"video/webm": "webm", "video/x-matroska": "mkv"}.get(self.mime_type, "mp4")

    @property
    def size(self) -> str:
        return f"{self.width}x{self.height}"

    def base64(self) -> str:
        return base64.b64encode(self.data).decode()

    def data_url(self) -> str:
        return f"data:{self.mime_type};base64,{self.base64()}"
