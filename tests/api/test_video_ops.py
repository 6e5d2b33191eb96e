"""Edits, extensions and characters through the generated client on /v1/videos (Bifrost's naming),
against a live gateway on the local provider."""

from __future__ import annotations

import io

import numpy as np
import pytest
from vidgate_client import AuthenticatedClient
from vidgate_client.api.videos import (
    video_character_create,
    video_character_retrieve,
    video_delete,
    video_download,
    video_edit,
    video_extend,
    video_generation,
)
from vidgate_client.models import (
    BifrostError,
    VideoCharacter,
    VideoCharacterForm,
    VideoCharacterRequest,
    VideoDownloadVariant,
    VideoEditForm,
    VideoEditRequest,
    VideoExtendForm,
    VideoExtendRequest,
    VideoGenerationRequest,
    VideoGenerationResponse,
    VideoStatus,
)
from vidgate_client.types import File

from tests.api.test_video_lifecycle import create, wait_done
from tests.support.media import frame_at, image, probe_mp4


@pytest.fixture
def source(client: AuthenticatedClient) -> tuple[str, bytes]:
    job = create(client, prompt="a lighthouse at dusk", seconds=1, size="128x72", seed=11)
    done = wait_done(client, job.id)
    assert done.status == VideoStatus.COMPLETED
    return job.id, video_download.sync_detailed(job.id, client=client).content


def mp4_file(data: bytes) -> File:
    return File(payload=io.BytesIO(data), file_name="source.mp4", mime_type="video/mp4")


def done_mp4(client: AuthenticatedClient, job: VideoGenerationResponse | BifrostError | None) -> bytes:
    assert isinstance(job, VideoGenerationResponse), job
    finished = wait_done(client, job.id)
    assert finished.status == VideoStatus.COMPLETED, finished.error
    return video_download.sync_detailed(job.id, client=client).content


def test_extend_by_id_and_by_upload_stitch_to_the_total(client: AuthenticatedClient, source) -> None:
    video_id, mp4 = source
    by_id = video_extend.sync(
        client=client,
        body=VideoExtendRequest.from_dict(
            {"prompt": "the beam sweeps", "seconds": 3, "video": {"id": video_id}}
        ),
    )
    assert isinstance(by_id, VideoGenerationResponse) and by_id.seconds == 4
    assert by_id.extra_fields.request_type == "video_extend"
    out = probe_mp4(done_mp4(client, by_id))
    assert out.duration == pytest.approx(4.0, abs=0.1) and out.frames == 4 * 24 and out.codec == "h264"

    upload = video_extend.sync(
        client=client, body=VideoExtendForm(prompt="the beam sweeps", seconds="2", video=mp4_file(mp4))
    )
    assert isinstance(upload, VideoGenerationResponse) and upload.seconds == 3
    assert probe_mp4(done_mp4(client, upload)).duration == pytest.approx(3.0, abs=0.1)


def test_edit_by_id_and_by_upload_differ_from_the_source(client: AuthenticatedClient, source) -> None:
    video_id, mp4 = source
    for body in (
        VideoEditRequest.from_dict({"prompt": "in a snowstorm", "video": {"id": video_id}}),
        VideoEditForm(prompt="in a snowstorm", video=mp4_file(mp4)),
    ):
        job = video_edit.sync(client=client, body=body)
        assert isinstance(job, VideoGenerationResponse) and job.seconds == 1
        edited = done_mp4(client, job)
        assert np.abs(frame_at(edited, 12) - frame_at(mp4, 12)).mean() > 10
        assert probe_mp4(edited).frames == probe_mp4(mp4).frames


def test_characters_are_kept_and_cast(client: AuthenticatedClient, beta_client, source) -> None:
    video_id, mp4 = source
    from_upload = video_character_create.sync(
        client=client, body=VideoCharacterForm(name="Keeper", video=mp4_file(mp4))
    )
    from_video = video_character_create.sync(
        client=client, body=VideoCharacterRequest.from_dict({"name": "Keeper 2", "video": {"id": video_id}})
    )
    for made in (from_upload, from_video):
        assert isinstance(made, VideoCharacter) and made.id.startswith("char_")
        got = video_character_retrieve.sync(made.id, client=client)
        assert isinstance(got, VideoCharacter) and got.name == made.name
        theirs = video_character_retrieve.sync_detailed(made.id, client=beta_client)
        assert theirs.status_code == 404 and isinstance(theirs.parsed, BifrostError)
    assert isinstance(from_upload, VideoCharacter)

    same = dict(prompt="Keeper walks the shore", seconds=1, size="128x72", seed=3)
    alone = done_mp4(client, create(client, **same))
    cast = done_mp4(client, create(client, **same, characters=[{"id": from_upload.id}]))
    assert np.abs(frame_at(alone, 12) - frame_at(cast, 12)).mean() > 1  # drawn into the frames


def test_sprite_sheet_is_bifrosts_spelling_of_spritesheet(client: AuthenticatedClient, source) -> None:
    video_id, _ = source
    for variant in (VideoDownloadVariant.SPRITE_SHEET, VideoDownloadVariant.SPRITESHEET):
        sheet = video_download.sync_detailed(video_id, client=client, variant=variant)
        assert sheet.status_code == 200 and image(sheet.content).format == "JPEG"


def test_refusals(client: AuthenticatedClient, beta_client, source) -> None:
    video_id, _ = source
    theirs = video_edit.sync_detailed(
        client=beta_client, body=VideoEditRequest.from_dict({"prompt": "x", "video": {"id": video_id}})
    )
    assert theirs.status_code == 404 and theirs.parsed.error.code == "video_not_found"
    not_video = video_extend.sync_detailed(
        client=client, body=VideoExtendForm(prompt="x", seconds="4", video=mp4_file(b"RIFF....WEBPVP8 "))
    )
    assert not_video.status_code == 400 and not_video.parsed.error.code == "invalid_video"
    too_long = video_extend.sync_detailed(
        client=client,
        body=VideoExtendRequest.from_dict({"prompt": "x", "seconds": 20, "video": {"id": video_id}}),
    )
    assert too_long.status_code == 200  # 1 + 20 s is within the local provider's 80 s
    unknown = video_character_retrieve.sync_detailed("char_nope", client=client)
    assert unknown.status_code == 404 and unknown.parsed.error.code == "character_not_found"
    cast_unknown = create_status(client, characters=[{"id": "char_01JD3Z8Q7W6X5V4T3S2R1P0N9M"}])
    assert cast_unknown == 404
    assert video_delete.sync_detailed(video_id, client=client).status_code == 200
    gone = video_extend.sync_detailed(
        client=client,
        body=VideoExtendRequest.from_dict({"prompt": "x", "seconds": 1, "video": {"id": video_id}}),
    )
    assert gone.status_code == 404


def create_status(client: AuthenticatedClient, **fields) -> int:
    body = VideoGenerationRequest.from_dict({"model": "local/default", "prompt": "x", "seconds": 1, **fields})
    return video_generation.sync_detailed(client=client, body=body).status_code


def test_a_character_with_an_idempotency_key_is_made_once(client: AuthenticatedClient, source) -> None:
    video_id, _ = source
    http = client.get_httpx_client()
    body = {"name": "Once", "video": {"id": video_id}}
    key = {"Idempotency-Key": f"character-{video_id}"}
    first = http.post("/v1/videos/characters", json=body, headers=key)
    again = http.post("/v1/videos/characters", json=body, headers=key)
    assert first.status_code == again.status_code == 200 and first.json()["id"] == again.json()["id"]
    other = http.post("/v1/videos/characters", json={**body, "name": "Twice"}, headers=key)
    assert other.status_code == 422 and other.json()["error"]["code"] == "idempotency_key_reused"
