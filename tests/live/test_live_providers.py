"""Optional: a real job on each real provider whose key is in the environment (never in CI).

    VIDGATE_LIVE_OPENAI_API_KEY=sk-... make test   (or GEMINI, RUNWAY, REPLICATE, FAL)

`VIDGATE_LIVE_<PROVIDER>_BASE_URL` and `..._MODEL` (without the provider prefix) override the
defaults; `openai` needs both: OpenAI's own Sora API is shut down, so it is an OpenAI-compatible
endpoint and one of its models.

Each costs real money: one short clip per provider.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import httpx
import pytest

from tests.support.server import ServerProcess

CASES = {
    "openai": {},  # VIDGATE_LIVE_OPENAI_BASE_URL and VIDGATE_LIVE_OPENAI_MODEL name the endpoint and model
    "gemini": {"model": "gemini/gemini-omni-1.1-flash", "seconds": 4, "size": "640x360"},
    "runway": {"model": "runway/veo3.1", "seconds": 4, "size": "1280x720"},
    "replicate": {"model": "replicate/minimax/video-01"},
    "fal": {"model": "fal/fal-ai/kling-video/v2/master/text-to-video"},
}


@pytest.mark.parametrize("provider", sorted(CASES))
def test_live_provider_makes_a_real_video(provider: str, tmp_path: Path) -> None:
    key = os.environ.get(f"VIDGATE_LIVE_{provider.upper()}_API_KEY")
    if not key:
        pytest.skip(f"set VIDGATE_LIVE_{provider.upper()}_API_KEY to run against the real {provider}")
    env = {"VIDGATE_API_KEYS": "live-test", f"VIDGATE_PROVIDERS__{provider.upper()}__API_KEY": key}
    case = dict(CASES[provider])
    if base_url := os.environ.get(f"VIDGATE_LIVE_{provider.upper()}_BASE_URL"):
        env[f"VIDGATE_PROVIDERS__{provider.upper()}__BASE_URL"] = base_url
    if model := os.environ.get(f"VIDGATE_LIVE_{provider.upper()}_MODEL"):
        case["model"] = f"{provider}/{model}"
    if "model" not in case:
        pytest.skip(f"set VIDGATE_LIVE_{provider.upper()}_BASE_URL and _MODEL to run against {provider}")
    server = ServerProcess(tmp_path, env=env).start()
    headers = {"Authorization": "Bearer live-test"}
    try:
        r = httpx.post(
            f"{server.url}/v1/videos",
            headers=headers,
            timeout=120,
            json={"prompt": "A paper boat drifting on a calm pond", **case},
        )
        assert r.status_code == 200, r.text
        video_id, deadline = r.json()["id"], time.monotonic() + 900
        while time.monotonic() < deadline:
            job = httpx.get(f"{server.url}/v1/videos/{video_id}", headers=headers).json()
            if job["status"] in ("completed", "failed"):
                break
            time.sleep(5)
        assert job["status"] == "completed", job
        video = httpx.get(f"{server.url}/v1/videos/{video_id}/content", headers=headers, timeout=300)
        assert video.status_code == 200 and video.content[4:8] == b"ftyp"
    finally:
        server.stop()
