"""The model catalog: served at GET /v1/models, a retired model refused before anything is sent,
and an operator's prices and lifecycles taking effect from the config file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import httpx
import openai
import pytest

from tests.conftest import KEY_ALPHA, KEY_BETA
from tests.support.server import ServerProcess
from vidgate.catalog import Catalog, resolution_tier

H = {"Authorization": f"Bearer {KEY_ALPHA}"}


def test_the_catalog_lists_the_configured_providers_models_with_limits_and_price(server) -> None:
    models = {m["id"]: m for m in httpx.get(f"{server.url}/v1/models", headers=H).json()["data"]}
    local = models["local/default"]
    assert local["lifecycle"] == "available" and local["seconds"] == {"min": 1, "max": 60}
    assert local["price"]["per_second"] == {"*": 0.0} and local["price"]["currency"] == "USD"
    assert local["price"]["source"] and local["price"]["as_of"]
    assert "video_remix" in local["capabilities"] and local["operations"] == ["edit", "extend", "remix"]
    assert {"video_edit", "video_extend", "video_character"} <= set(local["capabilities"])
    assert {m["provider"] for m in models.values()} == {"local"}  # only configured providers


def test_a_retired_model_is_refused_with_its_date_before_anything_is_sent(server) -> None:
    r = httpx.post(f"{server.url}/v1/videos", headers=H, json={"model": "openai/sora-2", "prompt": "x"})
    assert r.status_code == 400, r.text
    body = r.json()
    assert body["error"]["code"] == "model_retired" and body["error"]["param"] == "model"
    assert "2026-09-24" in body["error"]["message"]
    assert body["extra_fields"]["details"] == {"retired_on": "2026-09-24", "successor": None}


def test_the_openai_surface_defaults_to_a_model_that_exists_and_refuses_sora_by_name(server) -> None:
    sdk = openai.OpenAI(base_url=f"{server.url}/openai/v1", api_key=KEY_BETA, max_retries=0)
    video = sdk.videos.create(prompt="default model", seconds="1", size="64x64")  # the SDK sends no model
    assert video.model == "local/default"
    with pytest.raises(openai.BadRequestError) as err:
        sdk.videos.create(prompt="sora by name", model="sora-2")
    assert err.value.code == "model_retired" and "2026-09-24" in err.value.message


def test_an_operator_sets_prices_and_retires_models_in_the_config_file(tmp_path: Path) -> None:
    config = tmp_path / "vidgate.yaml"
    config.write_text(
        "api_keys: [vg-catalog-override]\n"
        "catalog:\n"
        "  local:\n"
        "    models:\n"
        "      default:\n"
        "        price: {per_second: {'720p': 0.02, '*': 0.01}, source: our contract, as_of: '2026-11-01'}\n"
        "      testcard: {retires_on: '2026-01-01', successor: local/default}\n"
    )
    server = ServerProcess(tmp_path, env={"VIDGATE_CONFIG": str(config)}).start()
    try:
        h = {"Authorization": "Bearer vg-catalog-override"}
        models = {m["id"]: m for m in httpx.get(f"{server.url}/v1/models", headers=h).json()["data"]}
        assert models["local/default"]["price"]["per_second"] == {"720p": 0.02, "*": 0.01}
        assert models["local/default"]["price"]["source"] == "our contract"
        assert models["local/testcard"]["lifecycle"] == "retired"
        r = httpx.post(f"{server.url}/v1/videos", headers=h, json={"model": "local/testcard", "prompt": "x"})
        assert r.status_code == 400 and r.json()["error"]["code"] == "model_retired"
        assert "use local/default" in r.json()["error"]["message"]
    finally:
        server.stop()


def test_lifecycle_follows_the_retirement_date_and_prices_follow_the_resolution_tier() -> None:
    catalog = Catalog.load(
        {
            "vertex": {
                "models": {
                    "veo-3.1-generate-001": {"retires_on": "2027-01-01", "successor": "vertex/veo-4"},
                }
            }
        }
    )
    spec = catalog.model("vertex", "veo-3.1-generate-001")
    assert spec is not None
    assert spec.lifecycle_on(dt.date(2026, 12, 31)) == "deprecated"
    assert spec.lifecycle_on(dt.date(2027, 1, 1)) == "retired"
    assert spec.price is not None
    assert spec.price.cost("1920x1080", 8) == pytest.approx(0.20 * 8)
    assert spec.price.cost("3840x2160", 8, audio=True) == pytest.approx(0.60 * 8)
    assert resolution_tier("720x1280") == "720p" and resolution_tier("2160x3840") == "4k"
