"""What a render is asked for, kept free of numpy, PyAV and Pillow so that importing it is cheap."""

from __future__ import annotations

from dataclasses import dataclass

STYLES = ("default", "testcard")


@dataclass(frozen=True)
class ClipSpec:
    prompt: str
    seconds: int
    width: int
    height: int
    fps: int = 24
    seed: int = 0
    negative_prompt: str = ""
    style: str = "default"
    audio: bool = False
    preset: str = "ultrafast"
    cast: tuple[str, ...] = ()  # stills of the characters cast in it (paths), drawn moving through it


class RenderCancelled(Exception):
    """Raised from the progress callback to stop a render (job deleted, shutdown, lease lost)."""


@dataclass(frozen=True)
class SourceScene:
    """How the local renderer drew a source video (edits and extensions redraw or continue it)."""

    prompt: str
    seed: int
    style: str = "default"
    negative_prompt: str = ""
