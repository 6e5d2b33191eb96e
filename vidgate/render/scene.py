"""Frames from a prompt: everything is derived from a hash of (prompt, seed), so renders repeat exactly."""

from __future__ import annotations

import hashlib
import math
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import av
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
    band_h += band_h % 2  # starts on a chroma row (4:2:0)
    layer = Image.new("RGBA", (width, band_h), (0, 0, 0, 110))
    draw = ImageDraw.Draw(layer)
    for i, line in enumerate(lines):
        draw.text((size // 2, size // 2 + int(i * size * 1.3)), line, font=f, fill=(255, 255, 255, 235))
    return layer


# BT.601, limited range: what H.264 players assume for yuv420p (and what swscale would produce).
_RGB_TO_YUV = (
    np.array(
        [[65.481, 128.553, 24.966], [-37.797, -74.203, 112.0], [112.0, -93.786, -18.214]], dtype=np.float64
    )
    / 255.0
)
_YUV_OFFSET = np.array([16.0, 128.0, 128.0])


def rgb_to_yuv(rgb: np.ndarray) -> np.ndarray:
    """(..., 3) RGB 0..255 to (..., 3) limited-range Y'CbCr, as uint8."""
    return np.clip(np.rint(rgb @ _RGB_TO_YUV.T + _YUV_OFFSET), 0, 255).astype(np.uint8)


def plane_view(plane: av.video.plane.VideoPlane) -> np.ndarray:
    """A writable (height, width) view of a frame's plane, skipping row padding."""
    return np.frombuffer(plane, np.uint8).reshape(-1, plane.line_size)[: plane.height, : plane.width]


def rgb_frame(img: Image.Image) -> av.VideoFrame:
    """An RGB picture as a yuv420p frame (swscale), for scenes not drawn in YUV."""
    return av.VideoFrame.from_image(img).reformat(format="yuv420p")


def palette_lut(palette: np.ndarray) -> list[int]:
    """A 768-entry table (R, G, B bands) that maps a 0..255 level across the palette's colours."""
    pos = np.linspace(0, len(palette) - 1, 256)
    idx = np.minimum(pos.astype(int), len(palette) - 2)
    frac = (pos - idx)[:, None]
    rgb = palette[idx] * (1 - frac) + palette[idx + 1] * frac
    return [int(c) for c in rgb.T.reshape(-1)]


class Scene:
    """A plasma field in a prompt-derived palette, with orbiting shapes and the caption.

    Made in the encoder's own format: the plasma is a small palette image that swscale scales
    and converts to 4:2:0 in one SIMD pass (0.6 ms at 720p, where Pillow's resize, palette and
    RGB-to-YUV steps took ~10 ms), then shapes and text are drawn on the Y, U and V planes."""

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
                tuple(int(c) for c in rgb_to_yuv(rng.integers(0, 256, 3).astype(np.float64))),
            )
            for _ in range(n_shapes)
        ]
        gw, gh = max(8, spec.width // 8), max(8, spec.height // 8)
        gx, gy = np.meshgrid(np.linspace(0, 1, gw, dtype=np.float32), np.linspace(0, 1, gh, dtype=np.float32))
        f = self.freqs
        self.waves = [  # the spatial part of each wave, fixed for the clip
            gx * f[0] * math.pi,
            gy * f[1] * math.pi,
            (gx + gy) * f[2] * math.pi,
            np.hypot(gx - 0.5, gy - 0.5) * f[3] * 2 * math.pi,
        ]
        self.reformatter = av.video.reformatter.VideoReformatter()  # keeps its swscale context
        rgb = np.array(palette_lut(self.palette), dtype=np.uint8).reshape(3, 256).T
        alpha = np.full((256, 1), 255, np.uint8)
        self.argb = np.ascontiguousarray(np.concatenate([alpha, rgb], axis=1))  # PyAV's pal8 order
        self._caption_planes(caption_layer(spec.prompt, spec.width, spec.height))

    def _caption_planes(self, caption: Image.Image) -> None:
        rgba = np.asarray(caption)
        yuv = rgb_to_yuv(rgba[..., :3].astype(np.float64))
        y, u, v = (Image.fromarray(np.ascontiguousarray(yuv[..., i])) for i in range(3))
        alpha = caption.getchannel("A")
        half = ((caption.width + 1) // 2, caption.height // 2)
        self.caption = [
            (y, alpha),
            (u.resize(half, Image.Resampling.BOX), alpha.resize(half, Image.Resampling.BOX)),
            (v.resize(half, Image.Resampling.BOX), alpha.resize(half, Image.Resampling.BOX)),
        ]
        self.caption_top = self.spec.height - caption.height

    def _level(self, t: float) -> np.ndarray:
        v = sum(
            np.sin(wave + np.float32(t * speed + phase))
            for wave, speed, phase in zip(self.waves, self.speeds, self.phases, strict=True)
        )
        return ((v + 4.0) * (255.0 / 8.0)).astype(np.uint8)

    def frame(self, index: int) -> av.VideoFrame:
        spec = self.spec
        t = index / spec.fps
        small = av.VideoFrame.from_ndarray((self._level(t), self.argb), format="pal8")
        frame = self.reformatter.reformat(small, spec.width, spec.height, "yuv420p", interpolation="BILINEAR")
        views = [plane_view(p) for p in frame.planes]
        planes = [Image.fromarray(v) for v in views]  # copies: Pillow cannot draw in place
        draws = [ImageDraw.Draw(p) for p in planes]
        for centre, radii, speed, phase, rel, colour in self.shapes:
            a = phase + 2 * math.pi * speed * t
            x = (centre[0] + radii[0] * math.cos(a)) * spec.width
            y = (centre[1] + radii[1] * math.sin(a)) * spec.height
            r = rel * spec.height
            for i, (draw, value) in enumerate(zip(draws, colour, strict=True)):
                k = 1 if i == 0 else 2  # chroma planes are half size
                box = ((x - r) / k, (y - r) / k, (x + r) / k, (y + r) / k)
                draw.ellipse(box, fill=value, outline=235 if i == 0 else 128, width=2 // k)
        for i, (plane, (layer, alpha)) in enumerate(zip(planes, self.caption, strict=True)):
            plane.paste(layer, (0, self.caption_top // (1 if i == 0 else 2)), alpha)
        stamp = f"{int(t // 60):02d}:{t % 60:05.2f}"
        at, size = spec.height // 40, max(10, spec.height // 30)
        draws[0].text((at, at), stamp, font=font(size), fill=235)
        for draw in draws[1:]:  # white text: no colour under it
            draw.text((at // 2, at // 2), stamp, font=font(max(5, size // 2)), fill=128)
        for view, plane in zip(views, planes, strict=True):
            view[...] = np.asarray(plane)
        return frame


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

    def __init__(self, spec: SceneSpec) -> None:
        self.spec = spec
        self.caption_rgba = caption_layer(spec.prompt, spec.width, spec.height)

    def frame(self, index: int) -> av.VideoFrame:
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
        img.paste(self.caption_rgba, (0, spec.height - self.caption_rgba.height), self.caption_rgba)
        return rgb_frame(img)


def make_scene(spec: SceneSpec) -> Scene:
    return TestCard(spec) if spec.style == "testcard" else Scene(spec)


def frames(spec: SceneSpec) -> Iterator[av.VideoFrame]:
    scene = make_scene(spec)
    for i in range(spec.frames):
        yield scene.frame(i)
