"""The official `openai` package, unmodified, runs edits, extensions and characters against the live
gateway's /openai/v1 on the local provider: what it gets back plays as promised."""

from __future__ import annotations

import warnings

import numpy as np
import openai
import pytest

from tests.conftest import KEY_ALPHA, KEY_BETA
from tests.support.media import frame_at, probe_mp4

warnings.filterwarnings("ignore", category=DeprecationWarning)  # "The Sora API is scheduled to ..."


@pytest.fixture
def sdk(server) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{server.url}/openai/v1", api_key=KEY_ALPHA, max_retries=0)


@pytest.fixture
def source(sdk: openai.OpenAI) -> tuple[str, bytes]:
    """A finished 1 s clip of the caller's (well under the tests' 64 KB body limit): id and MP4."""
    video = sdk.videos.create_and_poll(prompt="a paper boat on a pond", seconds="1", size="128x72")
    assert video.status == "completed"
    return video.id, sdk.videos.download_content(video.id).read()


def by_id(sdk: openai.OpenAI, path: str, body: dict) -> openai.types.Video:
    """`video={"id": ...}`: the SDK's own methods refuse a dict where a file may go (its file
    extraction), so this goes through the same unmodified client's generic `post`."""
    return sdk.post(path, body=body, cast_to=openai.types.Video)


def test_extend_an_upload_plays_for_the_stitched_total(sdk: openai.OpenAI, source) -> None:
    _, mp4 = source
    job = sdk.videos.extend(video=("boat.mp4", mp4, "video/mp4"), prompt="the boat drifts away", seconds="4")
    assert job.status == "queued" and job.seconds == "5"  # the stitched total, from the start
    done = sdk.videos.poll(job.id)
    assert done.status == "completed" and done.seconds == "5", done.error
    out = probe_mp4(sdk.videos.download_content(done.id).read())
    assert out.codec == "h264" and (out.width, out.height) == (128, 72)
    assert out.duration == pytest.approx(5.0, abs=0.1) and out.frames == 5 * 24


def test_extend_by_id_continues_the_source_frame_for_frame(sdk: openai.OpenAI, source) -> None:
    video_id, mp4 = source
    job = by_id(
        sdk, "/videos/extensions", {"video": {"id": video_id}, "prompt": "night falls", "seconds": "4"}
    )
    done = sdk.videos.poll(job.id)
    assert done.status == "completed" and done.seconds == "5"
    extended = sdk.videos.download_content(done.id).read()
    assert probe_mp4(extended).duration == pytest.approx(5.0, abs=0.1)
    # the first second is the source (re-encoded), the rest new frames
    assert np.abs(frame_at(extended, 10) - frame_at(mp4, 10)).mean() < 6
    assert np.abs(frame_at(extended, 100) - frame_at(mp4, 10)).mean() > 6


def test_edit_makes_a_different_video_of_the_same_length(sdk: openai.OpenAI, source) -> None:
    video_id, mp4 = source
    for job in (
        sdk.videos.edit(video=("boat.mp4", mp4, "video/mp4"), prompt="the same pond in autumn"),
        by_id(sdk, "/videos/edits", {"video": {"id": video_id}, "prompt": "the same pond in autumn"}),
    ):
        done = sdk.videos.poll(job.id)
        assert done.status == "completed" and done.seconds == "1", done.error
        edited = sdk.videos.download_content(done.id).read()
        assert edited != mp4
        assert probe_mp4(edited).duration == pytest.approx(1.0, abs=0.1)
        assert np.abs(frame_at(edited, 12) - frame_at(mp4, 12)).mean() > 10  # visibly another video


def test_character_create_get_and_cast_by_id(sdk: openai.OpenAI, source) -> None:
    _, mp4 = source
    made = sdk.videos.create_character(name="Captain Paper", video=("hero.mp4", mp4, "video/mp4"))
    assert made.id.startswith("char_") and made.name == "Captain Paper" and made.created_at > 0
    got = sdk.videos.get_character(made.id)
    assert (got.id, got.name, got.created_at) == (made.id, made.name, made.created_at)

    cast = sdk.videos.create_and_poll(
        prompt="Captain Paper sails", seconds="1", size="128x72", extra_body={"characters": [{"id": made.id}]}
    )
    assert cast.status == "completed", cast.error  # that it shows: tests/api/test_video_ops.py


def test_other_tenants_sources_and_characters_are_not_found(sdk: openai.OpenAI, server, source) -> None:
    video_id, mp4 = source
    made = sdk.videos.create_character(name="Mine", video=("hero.mp4", mp4, "video/mp4"))
    beta = openai.OpenAI(base_url=f"{server.url}/openai/v1", api_key=KEY_BETA, max_retries=0)
    with pytest.raises(openai.NotFoundError) as err:
        beta.videos.get_character(made.id)
    assert err.value.code == "character_not_found"
    with pytest.raises(openai.NotFoundError) as err:
        by_id(beta, "/videos/edits", {"video": {"id": video_id}, "prompt": "theirs"})
    assert err.value.code == "video_not_found"
    with pytest.raises(openai.NotFoundError):
        beta.videos.create(prompt="x", extra_body={"characters": [{"id": made.id}]})


def test_refusals_are_400s_and_413s_the_sdk_raises(sdk: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as err:
        sdk.videos.extend(
            video=("clip.mp4", b"\x00\x00\x00\x18ftypmp42", "video/mp4"), prompt="x", seconds="4"
        )
    assert err.value.code == "invalid_video" and err.value.param == "video"
    with pytest.raises(openai.BadRequestError) as err:
        sdk.videos.create_character(
            name="png", video=("still.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png")
        )
    assert err.value.code == "invalid_video"
    with pytest.raises(openai.APIStatusError) as err:  # the gateway's body limit (64 KB in these tests)
        sdk.videos.edit(video=("big.mp4", bytes(100_000), "video/mp4"), prompt="x")
    assert err.value.status_code == 413
    with pytest.raises(openai.NotFoundError):
        sdk.videos.get_character("char_01JD3Z8Q7W6X5V4T3S2R1P0N9M")


def test_an_extension_with_an_idempotency_key_is_made_once(sdk: openai.OpenAI, source) -> None:
    video_id, _ = source
    body = {"video": {"id": video_id}, "prompt": "once", "seconds": "1"}
    headers = {"Idempotency-Key": f"extend-{video_id}"}
    first = sdk.post(
        "/videos/extensions", body=body, cast_to=openai.types.Video, options={"headers": headers}
    )
    again = sdk.post(
        "/videos/extensions", body=body, cast_to=openai.types.Video, options={"headers": headers}
    )
    assert first.id == again.id
    with pytest.raises(openai.UnprocessableEntityError):
        sdk.post(
            "/videos/extensions",
            body={**body, "seconds": "2"},
            cast_to=openai.types.Video,
            options={"headers": headers},
        )
