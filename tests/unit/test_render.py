"""The local renderer makes real, deterministic H.264 MP4s and images."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.support.media import frame_at, probe_mp4
from vidgate.render import ClipSpec, RenderCancelled, remix_clip, render_clip


def render(tmp_path: Path, name: str, **kw) -> dict[str, Path]:
    spec = ClipSpec(
        **{"prompt": "a lighthouse in fog", "seconds": 1, "width": 320, "height": 180, "seed": 1, **kw}
    )
    return render_clip(spec, tmp_path / name)


def test_mp4_is_h264_of_the_asked_length_and_size(tmp_path: Path) -> None:
    files = render(tmp_path, "a", seconds=2, width=640, height=360)
    video = probe_mp4(files["video"].read_bytes())
    assert (video.codec, video.width, video.height, video.frames) == ("h264", 640, 360, 48)
    assert video.duration == pytest.approx(2.0, abs=0.05)
    assert video.audio_codec is None
    assert Image.open(files["thumbnail"]).format == "WEBP"
    sheet = Image.open(files["spritesheet"])
    assert sheet.format == "JPEG" and sheet.size == (5 * 256, 5 * 144)


def test_same_prompt_and_seed_give_the_same_frames(tmp_path: Path) -> None:
    a, b = render(tmp_path, "a"), render(tmp_path, "b")
    for index in (0, 12, 23):
        assert np.array_equal(
            frame_at(a["video"].read_bytes(), index), frame_at(b["video"].read_bytes(), index)
        )


def test_another_prompt_or_seed_gives_a_visibly_different_video(tmp_path: Path) -> None:
    base = frame_at(render(tmp_path, "a")["video"].read_bytes(), 12)
    other_prompt = frame_at(render(tmp_path, "b", prompt="a desert at noon")["video"].read_bytes(), 12)
    other_seed = frame_at(render(tmp_path, "c", seed=2)["video"].read_bytes(), 12)
    assert np.abs(base - other_prompt).mean() > 20
    assert np.abs(base - other_seed).mean() > 20


def test_frames_move(tmp_path: Path) -> None:
    data = render(tmp_path, "a")["video"].read_bytes()
    assert np.abs(frame_at(data, 0) - frame_at(data, 23)).mean() > 5


def test_audio_adds_an_aac_track_as_long_as_the_video(tmp_path: Path) -> None:
    import av

    files = render(tmp_path, "a", seconds=3, audio=True)
    with av.open(str(files["video"])) as c:
        audio = c.streams.audio[0]
        assert audio.codec_context.name == "aac"
        samples = sum(f.samples for f in c.decode(audio))
    assert samples / 48_000 == pytest.approx(3.0, abs=0.1)


def test_testcard_style(tmp_path: Path) -> None:
    frame = frame_at(render(tmp_path, "a", style="testcard")["video"].read_bytes(), 0)
    assert frame[:100, 5].mean() > 150  # the grey bar on the left


def test_remix_keeps_the_source_motion_and_length_with_new_colours(tmp_path: Path) -> None:
    source = render(tmp_path, "src", seconds=2)["video"]
    spec = ClipSpec(prompt="the lighthouse at night", seconds=0, width=0, height=0, seed=5)
    remixed = remix_clip(source, spec, tmp_path / "remix")
    video = probe_mp4(remixed["video"].read_bytes())
    assert (video.codec, video.width, video.height, video.frames) == ("h264", 320, 180, 48)
    assert np.abs(frame_at(source.read_bytes(), 10) - frame_at(remixed["video"].read_bytes(), 10)).mean() > 10


def test_progress_is_reported_and_can_stop_the_render(tmp_path: Path) -> None:
    seen: list[float] = []

    def progress(fraction: float) -> None:
        seen.append(fraction)
        if fraction > 0.5:
            raise RenderCancelled()

    spec = ClipSpec(prompt="x", seconds=2, width=128, height=72)
    with pytest.raises(RenderCancelled):
        render_clip(spec, tmp_path / "cancelled", progress)
    assert seen == sorted(seen) and 0.5 < seen[-1] < 0.6
