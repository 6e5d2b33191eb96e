"""Frames from a prompt: everything is derived from a hash of (prompt, seed), so renders repeat exactly."""

from __future__ import annotations

import hashlib
import math
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import numpy as np
from PIL import Image, ImageDraw, ImageFont


@dataclass(frozen=True)
class SceneSpec:
    prompt: str
    width: int
    height: int
    fps: int
    frames: int
    seed: int = 0
    negative_prompt: str = ""
    style: str = "default"


def scene_rng(*parts: object) -> np.random.Generator:
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:16], "big"))


@cache
def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def caption_layer(text: str, width: int, height: int) -> Image.Image:
    """The prompt as a translucent caption band, drawn once per render and pasted on each frame."""
    size = max(10, height // 24)
    f = font(size)
    chars = max(12, int(width / (size * 0.55)))
    lines = textwrap.wrap(text, chars)[:3] or [""]
    band_h = int(len(lines) * size * 1.3 + size)
    layer = Image.new("RGBA", (width, band_h), (0, 0, 0, 110))
    draw = ImageDraw.Draw(layer)
    for i, line in enumerate(lines):
        draw.text((size // 2, size // 2 + int(i * size * 1.3)), line, font=f, fill=(255, 255, 255, 235))
    return layer


def palette_lut(palette: np.ndarray) -> list[int]:
    """A 768-entry table (R, G, B bands) that maps a 0..255 level across the palette's colours."""
    pos = np.linspace(0, len(palette) - 1, 256)
    idx = np.minimum(pos.astype(int), len(palette) - 2)
    frac = (pos - idx)[:, None]
    rgb = palette[idx] * (1 - frac) + palette[idx + 1] * frac
    return [int(c) for c in rgb.T.reshape(-1)]


class Scene:
    """A plasma field in a prompt-derived palette, with orbiting shapes and the caption."""

    def __init__(self, spec: SceneSpec) -> None:
        self.spec = spec
        rng = scene_rng(spec.prompt, spec.seed, spec.negative_prompt, spec.style)
        self.palette = rng.integers(20, 236, size=(4, 3)).astype(np.float32)
        self.freqs = rng.uniform(1.5, 6.0, size=4)
        self.speeds = rng.uniform(0.4, 1.6, size=4) * rng.choice([-1, 1], size=4)
        self.phases = rng.uniform(0, 2 * math.pi, size=4)
        n_shapes = int(rng.integers(3, 8))
        self.shapes = [
            (
                rng.uniform(0.1, 0.9, 2),  # centre
                rng.uniform(0.08, 0.35, 2),  # orbit radii
                rng.uniform(0.2, 1.2),  # angular speed (turns per second)
                rng.uniform(0, 2 * math.pi),
                rng.uniform(0.03, 0.09),  # size relative to height
                tuple(int(c) for c in rng.integers(0, 256, 3)),
            )
            for _ in range(n_shapes)
        ]
        gw, gh = max(8, spec.width // 8), max(8, spec.height // 8)
        self.gx, self.gy = np.meshgrid(
            np.linspace(0, 1, gw, dtype=np.float32), np.linspace(0, 1, gh, dtype=np.float32)
        )
        self.caption = caption_layer(spec.prompt, spec.width, spec.height)
        self.lut = palette_lut(self.palette)

    def _plasma(self, t: float) -> Image.Image:
        f, s, p = self.freqs, self.speeds, self.phases
        v = (
            np.sin(self.gx * f[0] * math.pi + t * s[0] + p[0])
            + np.sin(self.gy * f[1] * math.pi + t * s[1] + p[1])
            + np.sin((self.gx + self.gy) * f[2] * math.pi + t * s[2] + p[2])
            + np.sin(np.hypot(self.gx - 0.5, self.gy - 0.5) * f[3] * 2 * math.pi + t * s[3] + p[3])
        )
        level = ((v + 4.0) * (255.0 / 8.0)).astype(np.uint8)
        small = Image.fromarray(level, "L")
        big = small.resize((self.spec.width, self.spec.height), Image.Resampling.BILINEAR)
        return big.convert("RGB").point(self.lut)

    def frame(self, index: int) -> Image.Image:
        spec = self.spec
        t = index / spec.fps
        img = self._plasma(t)
        draw = ImageDraw.Draw(img)
        for centre, radii, speed, phase, rel, colour in self.shapes:
            a = phase + 2 * math.pi * speed * t
            x = (centre[0] + radii[0] * math.cos(a)) * spec.width
            y = (centre[1] + radii[1] * math.sin(a)) * spec.height
            r = rel * spec.height
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour, outline=(255, 255, 255), width=2)
        img.paste(self.caption, (0, spec.height - self.caption.height), self.caption)
        stamp = f"{int(t // 60):02d}:{t % 60:05.2f}"
        draw.text(
            (spec.height // 40, spec.height // 40),
            stamp,
            font=font(max(10, spec.height // 30)),
            fill=(255, 255, 255),
        )
        return img


class TestCard(Scene):
    """Colour bars with a sweeping bar and a frame counter: handy to check players and seeking."""

    BARS = np.array(
        [
            [192, 192, 192],
            [192, 192, 0],
            [0, 192, 192],
            [0, 192, 0],
            [192, 0, 192],
            [192, 0, 0],
            [0, 0, 192],
        ],
        dtype=np.uint8,
    )

    def frame(self, index: int) -> Image.Image:
        spec = self.spec
        cols = np.repeat(self.BARS, -(-spec.width // len(self.BARS)), axis=0)[: spec.width]
        arr = np.broadcast_to(cols[None, :, :], (spec.height, spec.width, 3)).copy()
        x = int((index / max(1, spec.frames - 1)) * (spec.width - 8))
        arr[:, x : x + 8] = 255
        img = Image.fromarray(arr, "RGB")
        draw = ImageDraw.Draw(img)
        draw.text(
            (spec.width // 20, spec.height // 10),
            f"frame {index}",
            font=font(max(10, spec.height // 12)),
            fill=(0, 0, 0),
        )
        img.paste(self.caption, (0, spec.height - self.caption.height), self.caption)
        return img


def make_scene(spec: SceneSpec) -> Scene:
    return TestCard(spec) if spec.style == "testcard" else Scene(spec)


def frames(spec: SceneSpec) -> Iterator[Image.Image]:
    scene = make_scene(spec)
    for i in range(spec.frames):
        yield scene.frame(i)
