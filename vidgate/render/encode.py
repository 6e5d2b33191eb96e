"""H.264 MP4 (plus an optional AAC track), WebP thumbnail and JPEG spritesheet, with PyAV and Pillow."""

from __future__ import annotations

import math
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar

import av
import numpy as np
from PIL import Image

from .scene import scene_rng

AUDIO_RATE = 48_000
SPRITE_TILES = 25
SPRITE_COLUMNS = 5
SPRITE_TILE_WIDTH = 256
T = TypeVar("T")


def tone_track(prompt: str, seed: int, seconds: float) -> np.ndarray:
    """A soft chord that changes with the prompt: mono float32 samples in -1..1."""
    rng = scene_rng("audio", prompt, seed)
    base = float(rng.uniform(110, 220))
    ratios = np.array([1.0, 1.25, 1.5, 2.0])[rng.permutation(4)[:3]]
    t = np.arange(int(seconds * AUDIO_RATE), dtype=np.float32) / AUDIO_RATE
    wave = sum(np.sin(2 * math.pi * base * r * t) for r in ratios) / len(ratios)
    beat = 0.6 + 0.4 * np.sin(2 * math.pi * float(rng.uniform(0.5, 2.0)) * t)
    fade = np.minimum(1.0, np.minimum(t, t[::-1]) * 8)
    return (0.3 * wave * beat * fade).astype(np.float32)


def sprite_indices(total: int) -> list[int]:
    n = min(SPRITE_TILES, total)
    return sorted({int(i * (total - 1) / max(1, n - 1)) for i in range(n)})


def write_spritesheet(tiles: list[Image.Image], path: Path) -> None:
    tile_w = SPRITE_TILE_WIDTH
    tile_h = max(2, round(tiles[0].height * tile_w / tiles[0].width))
    cols = min(SPRITE_COLUMNS, len(tiles))
    rows = math.ceil(len(tiles) / cols)
    sheet = Image.new("RGB", (cols * tile_w, rows * tile_h))
    for i, tile in enumerate(tiles):
        sheet.paste(tile.resize((tile_w, tile_h)), ((i % cols) * tile_w, (i // cols) * tile_h))
    sheet.save(path, "JPEG", quality=85)


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


_END = object()


def prefetch(items: Iterable[T], depth: int = 6) -> Iterator[T]:
    """Produce `items` on a helper thread while the caller consumes them.

    Drawing a frame (Pillow, numpy) and encoding the previous one (libx264) both release the
    GIL, so on two cores they overlap: one render runs ~1.7x faster. Errors in the producer
    surface in the consumer; a consumer that stops early (RenderCancelled) stops the producer."""
    box: queue.Queue[Any] = queue.Queue(depth)
    stop = threading.Event()

    def put(item: Any) -> bool:
        while not stop.is_set():
            try:
                box.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put(item):
                    return
            put(_END)
        except BaseException as exc:  # handed to the consumer, raised there
            put(_Failed(exc))

    worker = threading.Thread(target=produce, name="render-frames", daemon=True)
    worker.start()
    try:
        while (item := box.get()) is not _END:
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
        worker.join()


def write_video(
    frames: Iterable[av.VideoFrame],
    *,
    total: int,
    width: int,
    height: int,
    fps: int,
    out_dir: Path,
    audio: np.ndarray | None = None,
    preset: str = "ultrafast",
    on_progress: Callable[[float], None] = lambda _f: None,
) -> dict[str, Path]:
    """Encode yuv420p `frames` into out_dir/video.mp4, thumbnail.webp and spritesheet.jpg in one
    pass; frames are made on a helper thread (see prefetch)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "video": out_dir / "video.mp4",
        "thumbnail": out_dir / "thumbnail.webp",
        "spritesheet": out_dir / "spritesheet.jpg",
    }
    sprite_at = set(sprite_indices(total))
    thumb_at = min(total - 1, total // 3)
    tiles: list[Image.Image] = []
    tile_h = max(2, round(height * SPRITE_TILE_WIDTH / width))
    written = 0
    with av.open(str(paths["video"]), "w", options={"movflags": "faststart"}) as container:
        vstream = container.add_stream("libx264", rate=fps)
        vstream.width, vstream.height = width, height
        vstream.pix_fmt = "yuv420p"
        vstream.options = {"preset": preset, "crf": "23"}
        astream = None
        if audio is not None:
            astream = container.add_stream("aac", rate=AUDIO_RATE)
            astream.layout = "mono"
        audio_pos = 0
        for index, frame in enumerate(prefetch(frames)):
            frame.pts = index
            frame.time_base = Fraction(1, fps)
            if index in sprite_at:  # scaled by swscale straight to the tile's size
                tile = frame.reformat(width=SPRITE_TILE_WIDTH, height=tile_h, format="rgb24")
                tiles.append(tile.to_image())
            if index == thumb_at:
                frame.to_image().save(paths["thumbnail"], "WEBP", quality=80)
            container.mux(vstream.encode(frame))
            if astream is not None and audio is not None:
                audio_pos = _mux_audio(container, astream, audio, audio_pos, (index + 1) / fps)
            written = index + 1
            on_progress(written / total)
        container.mux(vstream.encode(None))
        if astream is not None and audio is not None:
            _mux_audio(container, astream, audio, audio_pos, math.inf)
            container.mux(astream.encode(None))
    if written != total:
        raise RuntimeError(f"rendered {written} frames of {total}")
    write_spritesheet(tiles, paths["spritesheet"])
    return paths


def _mux_audio(container, astream, samples: np.ndarray, pos: int, until_s: float) -> int:  # type: ignore[no-untyped-def]
    """Mux audio up to `until_s` seconds, in 1024-sample frames, so the tracks stay interleaved."""
    end = min(len(samples), int(until_s * AUDIO_RATE) if until_s != math.inf else len(samples))
    while pos + 1024 <= end or (until_s == math.inf and pos < end):
        chunk = samples[pos : pos + 1024]
        frame = av.AudioFrame.from_ndarray(chunk[None, :], format="fltp", layout="mono")
        frame.sample_rate = AUDIO_RATE
        frame.pts = pos
        frame.time_base = Fraction(1, AUDIO_RATE)
        container.mux(astream.encode(frame))
        pos += len(chunk)
    return pos
