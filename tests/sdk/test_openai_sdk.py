"""The official `openai` package, unmodified, against the live gateway's /openai/v1 surface."""

from __future__ import annotations

import io

import openai
import pytest
from PIL import Image

from tests.conftest import KEY_BETA
from tests.support.media import image, probe_mp4


@pytest.fixture
def sdk(server) -> openai.OpenAI:
    # tenant beta: list pagination below counts only what this module made
    return openai.OpenAI(base_url=f"{server.url}/openai/v1", api_key=KEY_BETA, max_retries=2)


def test_create_and_poll_download_all_variants_remix_delete(sdk: openai.OpenAI) -> None:
    video = sdk.videos.create_and_poll(prompt="a fox in the snow", seconds="4", size="640x360")
    assert video.status == "completed" and video.progress == 100 and video.seconds == "4"
    assert video.id.endswith(":local") and video.model == "local/default"  # sora-2 -> local/default here
    mp4 = sdk.videos.download_content(video.id).read()
    assert (probe_mp4(mp4).codec, probe_mp4(mp4).width) == ("h264", 640)
    assert image(sdk.videos.download_content(video.id, variant="thumbnail").read()).format == "WEBP"
    assert image(sdk.videos.download_content(video.id, variant="spritesheet").read()).format == "JPEG"

    remix = sdk.videos.remix(video.id, prompt="the fox at night")
    assert remix.remixed_from_video_id == video.id and remix.status == "queued"
    assert sdk.videos.poll(remix.id).status == "completed"

    deleted = sdk.videos.delete(video.id)
    assert deleted.deleted is True and deleted.id == video.id
    with pytest.raises(openai.NotFoundError) as err:
        sdk.videos.retrieve(video.id)
    assert "no video" in err.value.message


def test_list_auto_paginates_over_pages(sdk: openai.OpenAI) -> None:
    made = [sdk.videos.create(prompt=f"page {i}", seconds="1", size="64x64").id for i in range(5)]
    seen = [v.id for v in sdk.videos.list(limit=2)]  # three pages, followed through after=last_id
    assert [i for i in seen if i in made] == list(reversed(made))
    first_page = sdk.videos.list(limit=2)
    assert first_page.has_more and len(first_page.data) == 2


def test_errors_come_back_as_sdk_exceptions_with_our_messages(sdk: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as err:
        sdk.videos.create(prompt="odd", size="65x64")
    assert err.value.code == "invalid_size" and "even" in err.value.message
    png = io.BytesIO()
    Image.new("RGB", (8, 8)).save(png, "PNG")
    with pytest.raises(openai.BadRequestError) as err:  # multipart upload reaches the provider's checks
        sdk.videos.create(prompt="with image", input_reference=("ref.png", png.getvalue(), "image/png"))
    assert err.value.param == "input_reference"
    with pytest.raises(openai.BadRequestError) as err:
        sdk.videos.create(prompt="x", model="no-such-model")
    assert err.value.code == "model_not_found"
    bad = openai.OpenAI(base_url=sdk.base_url, api_key="wrong", max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        bad.videos.list()
