"""Clips: render, remix and derive stills (the part that needs numpy, PyAV and Pillow)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import av
import numpy as np
from PIL import Image

from .cast import with_cast
from .encode import sprite_indices, tone_track, write_spritesheet, write_video
from .scene import SceneSpec, caption_layer, frames, rgb_frame, scene_rng
from .spec import ClipSpec


def render_clip(
    spec: ClipSpec, out_dir: Path, on_progress: Callable[[float], None] = lambda _f: None
) -> dict[str, Path]:
    total = spec.seconds * spec.fps
    scene = SceneSpec(
        prompt=spec.prompt,
        width=spec.width,
        height=spec.height,
        fps=spec.fps,
        frames=total,
        seed=spec.seed,
        negative_prompt=spec.negative_prompt,
        style=spec.style,
    )
    images = frames(scene)
    if spec.cast:
        images = with_cast(images, spec.cast, spec.width, spec.height, spec.fps)
    return write_video(
        images,
        total=total,
        width=spec.width,
        height=spec.height,
        fps=spec.fps,
        out_dir=out_dir,
        audio=tone_track(spec.prompt, spec.seed, spec.seconds) if spec.audio else None,
        preset=spec.preset,
        on_progress=on_progress,
    )


def _graded(source: Path, prompt: str, seed: int) -> tuple[Iterator[av.VideoFrame], int, int, int, int]:
    """Decode the source and re-grade every frame in a palette taken from the new prompt."""
    container = av.open(str(source))
    stream = container.streams.video[0]
    fps = round(float(stream.average_rate or 24))
    total = stream.frames or int(float(stream.duration * stream.time_base) * fps)
    width, height = stream.codec_context.width, stream.codec_context.height
    rng = scene_rng("remix", prompt, seed)
    tint = rng.uniform(0.0, 1.0, 3).astype(np.float32)
    matrix = np.eye(3, dtype=np.float32) * 0.55 + rng.uniform(0, 0.45, (3, 3)).astype(np.float32)
    matrix /= matrix.sum(axis=1, keepdims=True)
    caption = caption_layer(prompt, width, height)

    def gen() -> Iterator[av.VideoFrame]:
        try:
            for frame in container.decode(stream):
                arr = frame.to_ndarray(format="rgb24").astype(np.float32)
                arr = arr @ matrix.T * 0.8 + tint * 255 * 0.2
                img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")
                img.paste(caption, (0, 0), caption)
                yield rgb_frame(img)
        finally:
            container.close()

    return gen(), total, width, height, fps


def remix_clip(
    source: Path,
    spec: ClipSpec,
    out_dir: Path,
    on_progress: Callable[[float], None] = lambda _f: None,
) -> dict[str, Path]:
    """A new clip derived from `source`: its motion, the new prompt's colours and caption."""
    images, total, width, height, fps = _graded(source, spec.prompt, spec.seed)
    seconds = total / fps
    return write_video(
        images,
        total=total,
        width=width,
        height=height,
        fps=fps,
        out_dir=out_dir,
        audio=tone_track(spec.prompt, spec.seed, seconds) if spec.audio else None,
        preset=spec.preset,
        on_progress=on_progress,
    )


def derive_stills(video: Path, out_dir: Path) -> dict[str, Path]:
    """Thumbnail and spritesheet from a finished MP4 (for providers that return only the video)."""
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        total = stream.frames or 0
        if not total:  # no frame count in the header: count by decoding once
            total = sum(1 for _ in container.decode(stream))
            container.seek(0)
        wanted = set(sprite_indices(total))
        thumb_at = min(total - 1, total // 3)
        tiles, thumb = [], None
        for index, frame in enumerate(container.decode(stream)):
            if index in wanted or index == thumb_at:
                img = frame.to_image()
                if index in wanted:
                    tiles.append(img)
                if index == thumb_at:
                    thumb = img
            if index >= max(max(wanted), thumb_at):
                break
    paths = {"thumbnail": out_dir / "thumbnail.webp", "spritesheet": out_dir / "spritesheet.jpg"}
    if thumb is None or not tiles:
        return {}
    thumb.save(paths["thumbnail"], "WEBP", quality=80)
    write_spritesheet(tiles, paths["spritesheet"])
    return paths
