"""The /openai/v1 surface against the `openai` package's own types: every method the gateway serves
answers with each field the SDK's response model declares (null where absent) and with the type it
declares, and every request form OpenAI's API documents (multipart with a file; JSON with an `{image_url}` or
`{file_id}` reference, which only JSON clients send: the SDK refuses a dict client-side) gets an
answer, never a 500.

Accepted differences, each with its reason:
- `Video.size` is a Literal of Sora's four sizes; the gateway reports the size the job was made at,
  which for other providers (the embedded renderer here) is another `WxH`. It is checked as a `WxH`
  string. The SDK does not validate responses (it constructs them), so clients still get the str.
- `Video.model` is `provider/model` (e.g. `local/default`): the SDK declares `str | Literal[...]`.
"""

from __future__ import annotations

import base64
import io
import re
from typing import Any

import httpx
import openai
import pytest
from openai.types import Video, VideoDeleteResponse
from PIL import Image
from pydantic import BaseModel

from tests.conftest import KEY_BETA

LOOSENED = {(Video, "size"): re.compile(r"^\d+x\d+$")}


def png_data_url() -> str:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 200, 10)).save(buf, "PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def assert_matches(raw: dict[str, Any], model: type[BaseModel]) -> None:
    """Every field the SDK model declares is present (null allowed only where Optional) and
    validates as the SDK declares it, but for the listed, reasoned exceptions."""
    missing = [name for name in model.model_fields if name not in raw]
    assert not missing, f"{model.__name__} fields missing from the answer: {missing}"
    checked = dict(raw)
    for (owner, name), pattern in LOOSENED.items():
        if owner is model and name in checked:
            assert isinstance(checked[name], str) and pattern.match(checked[name]), (name, checked[name])
            checked.pop(name)
    fields = {k: v for k, v in model.model_fields.items() if k in checked}
    strict = type("Strict", (BaseModel,), {"__annotations__": {k: f.annotation for k, f in fields.items()}})
    strict.model_validate(checked)


@pytest.fixture
def sdk(server) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{server.url}/openai/v1", api_key=KEY_BETA, max_retries=0)


@pytest.fixture
def raw(server) -> httpx.Client:
    with httpx.Client(
        base_url=f"{server.url}/openai/v1", headers={"Authorization": f"Bearer {KEY_BETA}"}, timeout=30
    ) as c:
        yield c


def test_every_served_method_answers_in_the_sdk_types(sdk: openai.OpenAI) -> None:
    created = sdk.videos.with_raw_response.create(prompt="typed fox", seconds="4", size="128x72")
    assert_matches(created.http_response.json(), Video)
    video_id = created.parse().id
    done = sdk.videos.poll(video_id)
    assert done.status == "completed"
    assert_matches(sdk.videos.with_raw_response.retrieve(video_id).http_response.json(), Video)
    page = sdk.videos.with_raw_response.list(limit=2).http_response.json()
    assert {"object", "data", "first_id", "last_id", "has_more"} <= page.keys() and page["object"] == "list"
    for item in page["data"]:
        assert_matches(item, Video)
    remix = sdk.videos.with_raw_response.remix(video_id, prompt="typed fox at night").http_response.json()
    assert_matches(remix, Video)
    content = sdk.videos.with_raw_response.download_content(video_id)
    assert content.http_response.headers["content-type"] == "video/mp4"
    deleted = sdk.videos.with_raw_response.delete(video_id).http_response.json()
    assert_matches(deleted, VideoDeleteResponse)


def test_json_create_with_an_image_url_reference_reaches_the_provider(raw: httpx.Client) -> None:
    r = raw.post(
        "/videos",
        json={
            "prompt": "with a reference",
            "model": "local/default",
            "input_reference": {"image_url": png_data_url()},
        },
    )
    # The embedded renderer takes no image: a 400 naming input_reference, from the provider's checks.
    assert r.status_code == 400, r.text
    assert r.json()["error"]["param"] == "input_reference"
    assert r.json()["error"]["code"] == "unsupported_parameter"


def test_json_create_with_a_file_id_is_a_clear_400(raw: httpx.Client) -> None:
    r = raw.post("/videos", json={"prompt": "with a file", "input_reference": {"file_id": "file_abc123"}})
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert error["param"] == "input_reference" and error["code"] == "file_id_not_supported"
    assert "Files API" in error["message"] and "image_url" in error["message"]


def test_json_create_with_a_malformed_reference_is_a_400_not_a_500(raw: httpx.Client) -> None:
    for reference in ({"image_url": 3}, {"other": "x"}, {}, [1], 7):
        r = raw.post("/videos", json={"prompt": "odd", "input_reference": reference})
        assert r.status_code == 400, (reference, r.text)
