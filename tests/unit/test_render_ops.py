"""Edits, extensions, characters and upload checks of the embedded renderer, on real files."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.support.media import frame_at, probe_mp4
from vidgate.domain import InvalidRequest
from vidgate.render import (
    ClipSpec,
    SourceScene,
    character_still,
    edit_clip,
    extend_clip,
    probe_video,
    render_clip,
)

SIZE = {"width": 160, "height": 90}


@pytest.fixture
def source(tmp_path: Path) -> Path:
    spec = ClipSpec(prompt="a lighthouse", seconds=2, seed=4, **SIZE)
    return render_clip(spec, tmp_path / "source")["video"]


def test_an_extension_is_the_source_then_its_scene_continued(tmp_path: Path, source: Path) -> None:
    spec = ClipSpec(prompt="the beam sweeps on", seconds=5, seed=4, **SIZE)
    out = extend_clip(source, spec, 3, SourceScene("a lighthouse", 4), tmp_path / "ext")["video"].read_bytes()
    probed = probe_mp4(out)
    assert probed.codec == "h264" and probed.duration == pytest.approx(5.0, abs=0.05) and probed.frames == 120
    original = source.read_bytes()
    assert np.abs(frame_at(out, 30) - frame_at(original, 30)).mean() < 6  # the source, re-encoded
    # the same scene continued: frame 48 follows frame 47 as closely as the source's frames follow each other
    step_inside = np.abs(frame_at(original, 46) - frame_at(original, 47)).mean()
    assert np.abs(frame_at(out, 47) - frame_at(out, 48)).mean() < step_inside + 8
    # thumbnail and spritesheet come with it
    assert {p.name for p in (tmp_path / "ext").iterdir()} >= {
        "video.mp4",
        "thumbnail.webp",
        "spritesheet.jpg",
    }


def test_an_upload_is_extended_with_a_new_scene(tmp_path: Path, source: Path) -> None:
    spec = ClipSpec(prompt="something new", seconds=3, seed=9, **SIZE)
    out = extend_clip(source, spec, 1, None, tmp_path / "ext")["video"].read_bytes()
    assert probe_mp4(out).duration == pytest.approx(3.0, abs=0.05)


def test_an_edit_keeps_length_and_size_and_changes_the_picture(tmp_path: Path, source: Path) -> None:
    spec = ClipSpec(prompt="in autumn", seconds=2, seed=4, **SIZE)
    for known in (SourceScene("a lighthouse", 4), None):
        out = edit_clip(source, spec, known, tmp_path / f"edit-{known is None}")["video"].read_bytes()
        probed = probe_mp4(out)
        assert (probed.width, probed.height, probed.frames) == (160, 90, 48)
        assert np.abs(frame_at(out, 20) - frame_at(source.read_bytes(), 20)).mean() > 10


def test_a_character_still_is_cast_into_the_frames(tmp_path: Path, source: Path) -> None:
    still = character_still(source, tmp_path)
    assert Image.open(still).format == "PNG"
    plain = ClipSpec(prompt="hero", seconds=1, seed=2, **SIZE)
    alone = render_clip(plain, tmp_path / "alone")["video"].read_bytes()
    cast = render_clip(ClipSpec(**{**plain.__dict__, "cast": (str(still),)}), tmp_path / "cast")["video"]
    assert np.abs(frame_at(alone, 12) - frame_at(cast.read_bytes(), 12)).mean() > 1


def test_uploads_are_known_by_their_bytes(source: Path) -> None:
    video = probe_video(source.read_bytes(), max_seconds=60, max_pixels=1920 * 1080)
    assert (video.mime_type, video.width, video.height, video.fps) == ("video/mp4", 160, 90, 24.0)
    assert video.seconds == pytest.approx(2.0, abs=0.05)
    png = io.BytesIO()
    Image.new("RGB", (8, 8)).save(png, "PNG")
    for bad, why in [
        (b"", "empty"),
        (b"not a video at all", "not a video"),
        (png.getvalue(), "not a video this gateway takes"),
        (source.read_bytes()[:300], "no video stream|not a video"),
    ]:
        with pytest.raises(InvalidRequest, match=why) as err:
            probe_video(bad, max_seconds=60, max_pixels=1920 * 1080)
        assert err.value.code == "invalid_video" and err.value.param == "video"
    with pytest.raises(InvalidRequest, match="at most 1 s"):
        probe_video(source.read_bytes(), max_seconds=1, max_pixels=1920 * 1080)
    with pytest.raises(InvalidRequest, match="pixels"):
        probe_video(source.read_bytes(), max_seconds=60, max_pixels=100)
