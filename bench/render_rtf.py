"""5. Local render: real-time factor (clip seconds / wall seconds), one job and two at once."""

from __future__ import annotations

import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

CLIPS = {"720p": (4, 1280, 720), "1080p": (8, 1920, 1080)}


def _render(args: tuple[int, int, int, int]) -> float:
    from vidgate.render import ClipSpec, render_clip

    seconds, width, height, seed = args
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        spec = ClipSpec(prompt=f"bench {seed}", seconds=seconds, width=width, height=height, seed=seed)
        render_clip(spec, Path(tmp))
        return time.perf_counter() - t0


def run(rounds: int, clips: dict[str, tuple[int, int, int]] = CLIPS) -> dict[str, float]:
    out: dict[str, float] = {}
    for key, (seconds, width, height) in clips.items():
        single = [seconds / _render((seconds, width, height, i)) for i in range(rounds)]
        out[f"render_rtf_{key}"] = round(statistics.median(single), 2)
        pairs = []
        for i in range(rounds):
            t0 = time.perf_counter()
            with ThreadPoolExecutor(2) as pool:  # the gateway renders in a thread pool too
                jobs = [(seconds, width, height, 100 + i), (seconds, width, height, 200 + i)]
                list(pool.map(_render, jobs))
            pairs.append(2 * seconds / (time.perf_counter() - t0))
        out[f"render_rtf_{key}_2_concurrent"] = round(statistics.median(pairs), 2)
    return out
