"""Reading what the gateway produced, with the same libraries a user would (PyAV, Pillow)."""

from __future__ import annotations

import io
from dataclasses import dataclass

import av
import numpy as np
from PIL import Image


@dataclass(frozen=True)
class ProbedVideo:
    codec: str
    width: int
    height: int
    duration: float
    frames: int
    audio_codec: str | None


def probe_mp4(data: bytes) -> ProbedVideo:
    with av.open(io.BytesIO(data)) as c:
        v = c.streams.video[0]
        decoded = sum(1 for _ in c.decode(v))
        audio = c.streams.audio[0].codec_context.name if c.streams.audio else None
        return ProbedVideo(
            codec=v.codec_context.name,
            width=v.codec_context.width,
            height=v.codec_context.height,
            duration=float(c.duration) / av.time_base,
            frames=decoded,
            audio_codec=audio,
        )


def frame_at(data: bytes, index: int) -> np.ndarray:
    with av.open(io.BytesIO(data)) as c:
        for i, frame in enumerate(c.decode(video=0)):
            if i == index:
                return frame.to_ndarray(format="rgb24").astype(np.int16)
    raise IndexError(index)


def image(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img
