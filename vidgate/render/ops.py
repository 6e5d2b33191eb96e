"""Edits and extensions of a source video: an edit draws the source's scene again to a new prompt;
an extension continues the source's scene and stitches it on, one MP4 as long as both."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import av
import numpy as np

from .clips import remix_clip
from .encode import tone_track, write_video
from .scene import Scene, SceneSpec, caption_layer, make_scene, palette_lut, scene_rng
from .spec import ClipSpec, SourceScene


def _source_facts(source: Path) -> tuple[int, int, int, int]:
    """Frames (counted from the packets, no decoding), even width and height, and frame rate."""
    with av.open(str(source)) as container:
        stream = container.streams.video[0]
        fps = max(1, round(float(stream.average_rate or stream.guessed_rate or 24)))
        width, height = stream.codec_context.width & ~1, stream.codec_context.height & ~1
        total = sum(1 for packet in container.demux(stream) if packet.size)
    return total, width, height, fps


def _decoded(source: Path, width: int, height: int, limit: int) -> Iterator[av.VideoFrame]:
    with av.open(str(source)) as container:
        for index, frame in enumerate(container.decode(video=0)):
            if index >= limit:
                break
            yield frame.reformat(width=width, height=height, format="yuv420p")


def _redrawn(source: SourceScene, width: int, height: int, fps: int, frames: int) -> SceneSpec:
    """The source's scene (its prompt, seed and style) at the source's size and rate."""
    return SceneSpec(
        prompt=source.prompt,
        width=width,
        height=height,
        fps=fps,
        frames=frames,
        seed=source.seed,
        negative_prompt=source.negative_prompt,
        style=source.style,
    )


def _scene(spec: SceneSpec, prompt: str) -> Scene:
    """The scene, its caption set to `prompt` (the motion and palette stay the scene's own)."""
    scene = make_scene(spec)
    if hasattr(scene, "_caption_planes"):
        scene._caption_planes(caption_layer(prompt, spec.width, spec.height))
    else:  # the test card keeps its caption as RGBA
        scene.caption_rgba = caption_layer(prompt, spec.width, spec.height)
    return scene


def extend_clip(
    source: Path,
    spec: ClipSpec,
    extra_seconds: int,
    known: SourceScene | None,
    out_dir: Path,
    on_progress: Callable[[float], None] = lambda _f: None,
) -> dict[str, Path]:
    """The source, then `extra_seconds` more of its scene (the one the local renderer drew, when it
    drew it; else a scene of the new prompt that fades in from the source's last frame)."""
    made, width, height, fps = _source_facts(source)
    more = extra_seconds * fps
    total = made + more
    base = known or SourceScene(prompt=spec.prompt, seed=spec.seed, style=spec.style)
    scene = _scene(_redrawn(base, width, height, fps, total), spec.prompt)
    fade = 0 if known else max(1, fps // 2)

    def images() -> Iterator[av.VideoFrame]:
        last = None
        written = 0
        for frame in _decoded(source, width, height, made):
            last = frame.to_ndarray()
            written += 1
            yield frame
        for index in range(written, total):  # a source shorter than its packets: fill on
            frame = scene.frame(index)
            step = index - written
            if last is not None and step < fade:
                mix = (step + 1) / (fade + 1)
                blend = last * (1 - mix) + frame.to_ndarray() * mix
                frame = av.VideoFrame.from_ndarray(blend.astype(np.uint8), format="yuv420p")
            yield frame

    return _encode(images(), total, width, height, fps, spec, out_dir, on_progress)


def edit_clip(
    source: Path,
    spec: ClipSpec,
    known: SourceScene | None,
    out_dir: Path,
    on_progress: Callable[[float], None] = lambda _f: None,
) -> dict[str, Path]:
    """The source's scene drawn again to the new prompt: its shapes and motion, the new prompt's
    palette and caption. An upload (no scene known) is re-graded frame by frame instead."""
    if known is None:
        return remix_clip(source, spec, out_dir, on_progress)
    made, width, height, fps = _source_facts(source)
    scene_spec = _redrawn(known, width, height, fps, made)
    scene = _scene(scene_spec, spec.prompt)
    if known.style != "testcard":  # the new prompt's palette on the source's plasma
        rng = scene_rng("edit", spec.prompt, known.seed)
        palette = rng.integers(20, 236, size=(4, 3)).astype(np.float32)
        rgb = np.array(palette_lut(palette), dtype=np.uint8).reshape(3, 256).T
        alpha = np.full((256, 1), 255, np.uint8)
        scene.argb = np.ascontiguousarray(np.concatenate([alpha, rgb], axis=1))
    return _encode(
        (scene.frame(i) for i in range(made)), made, width, height, fps, spec, out_dir, on_progress
    )


def _encode(
    frames: Iterator[av.VideoFrame],
    total: int,
    width: int,
    height: int,
    fps: int,
    spec: ClipSpec,
    out_dir: Path,
    on_progress: Callable[[float], None],
) -> dict[str, Path]:
    """The frames as the clip's MP4 (with its tone track if the spec asks for audio), stills too."""
    audio = tone_track(spec.prompt, spec.seed, total / fps) if spec.audio else None
    return write_video(
        frames,
        total=total,
        width=width,
        height=height,
        fps=fps,
        out_dir=out_dir,
        audio=audio,
        preset=spec.preset,
        on_progress=on_progress,
    )
