"""The whole life of a job through the generated client: create, poll, download, remix, list, delete."""

from __future__ import annotations

import time

import pytest
from vidgate_client import AuthenticatedClient
from vidgate_client.api.videos import (
    video_delete,
    video_download,
    video_generation,
    video_list,
    video_remix,
    video_retrieve,
)
from vidgate_client.models import (
    BifrostError,
    VideoDownloadVariant,
    VideoGenerationRequest,
    VideoGenerationResponse,
    VideoListOrder,
    VideoRemixRequest,
    VideoStatus,
)

from tests.conftest import KEY_PAGING
from tests.support.media import image, probe_mp4


def wait_done(client: AuthenticatedClient, video_id: str, timeout: float = 60) -> VideoGenerationResponse:
    """Poll like a client would; also checks progress never goes backwards."""
    deadline = time.monotonic() + timeout
    last = -1.0
    while time.monotonic() < deadline:
        job = video_retrieve.sync(video_id, client=client)
        assert isinstance(job, VideoGenerationResponse), job
        assert job.progress >= last, f"progress went back from {last} to {job.progress}"
        last = job.progress
        if job.status in (VideoStatus.COMPLETED, VideoStatus.FAILED):
            return job
        time.sleep(0.2)
    raise AssertionError(f"{video_id} not done after {timeout}s (last progress {last})")


def create(client: AuthenticatedClient, **fields) -> VideoGenerationResponse:
    body = VideoGenerationRequest.from_dict({"model": "local/default", **fields})
    job = video_generation.sync(client=client, body=body)
    assert isinstance(job, VideoGenerationResponse), job
    return job


def test_create_poll_download_remix_delete(client: AuthenticatedClient) -> None:
    job = create(client, prompt="A paper boat drifting across a pond at sunset", seconds=4, size="1280x720")
    assert job.id.endswith(":local") and job.id.startswith("video_")
    assert job.status == VideoStatus.QUEUED and job.seconds == 4 and job.size == "1280x720"
    assert job.extra_fields.provider.value == "local"
    assert job.extra_fields.request_type == "video_generation"

    done = wait_done(client, job.id)
    assert done.status == VideoStatus.COMPLETED, done.error
    assert done.progress == 100
    assert done.completed_at >= done.created_at and done.expires_at > done.completed_at
    assert done.videos[0].url.endswith(f"/v1/videos/{job.id}/content")

    mp4 = video_download.sync_detailed(job.id, client=client)
    assert mp4.status_code == 200 and mp4.headers["content-type"] == "video/mp4"
    video = probe_mp4(mp4.content)
    assert (video.codec, video.width, video.height, video.frames) == ("h264", 1280, 720, 96)
    assert video.duration == pytest.approx(4.0, abs=0.05)

    thumb = video_download.sync_detailed(job.id, client=client, variant=VideoDownloadVariant.THUMBNAIL)
    assert thumb.headers["content-type"] == "image/webp"
    assert image(thumb.content).format == "WEBP" and image(thumb.content).size == (1280, 720)
    sheet = video_download.sync_detailed(job.id, client=client, variant=VideoDownloadVariant.SPRITESHEET)
    assert sheet.headers["content-type"] == "image/jpeg"
    assert image(sheet.content).format == "JPEG" and image(sheet.content).size == (5 * 256, 5 * 144)

    remix = video_remix.sync(job.id, client=client, body=VideoRemixRequest(prompt="The same pond at night"))
    assert isinstance(remix, VideoGenerationResponse), remix
    assert remix.remixed_from_video_id == job.id and remix.id != job.id
    remixed = wait_done(client, remix.id)
    assert remixed.status == VideoStatus.COMPLETED, remixed.error
    remix_mp4 = probe_mp4(video_download.sync_detailed(remix.id, client=client).content)
    assert (remix_mp4.codec, remix_mp4.frames, remix_mp4.width) == ("h264", 96, 1280)

    page = video_list.sync(client=client, provider="local", limit=100)
    ids = [v.id for v in page.data]
    assert job.id in ids and remix.id in ids
    assert ids.index(remix.id) < ids.index(job.id), "default order is newest first"

    deleted = video_delete.sync(job.id, client=client)
    assert deleted.deleted is True and deleted.id == job.id
    gone = video_retrieve.sync_detailed(job.id, client=client)
    assert gone.status_code == 404 and isinstance(gone.parsed, BifrostError)
    assert video_download.sync_detailed(job.id, client=client).status_code == 404
    assert video_delete.sync_detailed(job.id, client=client).status_code == 404
    # The remix keeps its own files after its source is deleted.
    assert video_download.sync_detailed(remix.id, client=client).status_code == 200


def test_audio_track_and_small_size(client: AuthenticatedClient) -> None:
    job = create(client, prompt="wind chimes", seconds=2, size="640x360", audio=True, seed=3)
    done = wait_done(client, job.id)
    assert done.status == VideoStatus.COMPLETED, done.error
    video = probe_mp4(video_download.sync_detailed(job.id, client=client).content)
    assert video.audio_codec == "aac" and (video.width, video.height, video.frames) == (
        640,
        360,
        48,
    )


def test_list_pages_with_cursor_both_orders(server) -> None:
    # A tenant no other test uses: its listing is exactly what this test made, nothing filtered out.
    with AuthenticatedClient(base_url=server.url, token=KEY_PAGING) as c:
        made = [create(c, prompt=f"page test {i}", seconds=1, size="64x64").id for i in range(5)]
        newest_first, after, pages = [], None, 0
        while True:
            page = video_list.sync(client=c, provider="local", limit=2, after=after or None)
            newest_first += [v.id for v in page.data]
            pages += 1
            if not page.has_more:
                break
            assert page.last_id == page.data[-1].id and page.first_id == page.data[0].id
            after = page.last_id
        assert newest_first == list(reversed(made)) and pages == 3
        asc = video_list.sync(client=c, provider="local", limit=100, order=VideoListOrder.ASC)
        assert [v.id for v in asc.data] == made and not asc.has_more


def test_download_before_completion_is_404_not_yet_available(client: AuthenticatedClient) -> None:
    job = create(client, prompt="a long one", seconds=30, size="1920x1080")
    early = video_download.sync_detailed(job.id, client=client)
    assert early.status_code == 404
    assert "not yet available" in early.parsed.error.message
    remix = video_remix.sync_detailed(job.id, client=client, body=VideoRemixRequest(prompt="x"))
    assert remix.status_code == 400 and remix.parsed.error.code == "video_not_completed"
    assert video_delete.sync(job.id, client=client).deleted  # and delete stops the render


def test_other_tenant_sees_nothing(client: AuthenticatedClient, beta_client: AuthenticatedClient) -> None:
    job = create(client, prompt="private", seconds=1, size="64x64")
    for response in (
        video_retrieve.sync_detailed(job.id, client=beta_client),
        video_download.sync_detailed(job.id, client=beta_client),
        video_delete.sync_detailed(job.id, client=beta_client),
        video_remix.sync_detailed(job.id, client=beta_client, body=VideoRemixRequest(prompt="steal")),
    ):
        assert response.status_code == 404, response.content
        assert "private" not in response.content.decode()
    listed = video_list.sync(client=beta_client, provider="local", limit=100)
    assert job.id not in [v.id for v in listed.data]
    assert video_retrieve.sync_detailed(job.id, client=client).status_code == 200
