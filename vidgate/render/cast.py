"""Characters on screen: a still of each character's clip, drawn moving through the frames of a
clip that casts it (blended into the encoder's own Y, U and V planes)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
from PIL import Image, ImageDraw

from .scene import plane_view, rgb_to_yuv

STILL_SIDE = 384  # the still kept per character (its longest side, pixels)


def character_still(clip: Path, out_dir: Path) -> Path:
    """The clip's middle frame as a PNG: the character's look."""
    with av.open(str(clip)) as container:
        stream = container.streams.video[0]
        frames = [f.to_image() for f in container.decode(stream)]
    if not frames:
        raise ValueError("the clip has no frames")
    still = frames[len(frames) // 2].convert("RGB")
    still.thumbnail((STILL_SIDE, STILL_SIDE))
    path = out_dir / "still.png"
    still.save(path, "PNG")
    return path


@dataclass(frozen=True)
class _Sprite:
    planes: tuple[np.ndarray, np.ndarray, np.ndarray]  # Y, U, V (float32)
    alphas: tuple[np.ndarray, np.ndarray]  # full and half resolution, 0..1
    phase: float


def _sprite(path: Path, height: int, index: int) -> _Sprite:
    side = max(16, (height // 3) & ~1)
    img = Image.open(path).convert("RGB")
    img.thumbnail((side, side))
    w, h = img.width & ~1, img.height & ~1
    img = img.resize((w, h))
    yuv = rgb_to_yuv(np.asarray(img, dtype=np.float64)).astype(np.float32)
    mask = Image.new("L", (w, h), 0)
    ImageDraw.Draw(mask).ellipse((0, 0, w - 1, h - 1), fill=255)
    alpha = np.asarray(mask, dtype=np.float32) / 255.0
    half = lambda a: a.reshape(h // 2, 2, w // 2, 2).mean(axis=(1, 3))  # noqa: E731
    return _Sprite(
        planes=(yuv[..., 0], half(yuv[..., 1]), half(yuv[..., 2])),
        alphas=(alpha, half(alpha)),
        phase=index * 2.1,
    )


def with_cast(
    frames: Iterable[av.VideoFrame], stills: tuple[str, ...], width: int, height: int, fps: int
) -> Iterator[av.VideoFrame]:
    """The frames, with each character's still gliding along its own path."""
    sprites = [_sprite(Path(p), height, i) for i, p in enumerate(stills)]
    for index, frame in enumerate(frames):
        t = index / fps
        views = [plane_view(p) for p in frame.planes]
        for sprite in sprites:
            sh, sw = sprite.alphas[0].shape
            x = int((0.5 + 0.35 * math.sin(0.6 * t + sprite.phase)) * (width - sw)) & ~1
            y = int((0.4 + 0.3 * math.cos(0.45 * t + sprite.phase)) * (height - sh)) & ~1
            x, y = max(0, min(x, width - sw)), max(0, min(y, height - sh))
            for i, (view, plane) in enumerate(zip(views, sprite.planes, strict=True)):
                k = 1 if i == 0 else 2
                alpha = sprite.alphas[0 if i == 0 else 1]
                ph, pw = plane.shape
                region = view[y // k : y // k + ph, x // k : x // k + pw]
                blended = region * (1 - alpha[: region.shape[0], : region.shape[1]])
                blended += (plane * alpha)[: region.shape[0], : region.shape[1]]
                region[...] = np.clip(blended, 0, 255).astype(np.uint8)
        yield frame
