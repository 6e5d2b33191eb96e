"""What a Dockerfile does: build the wheel, install it (not editable) into a fresh virtualenv, and
run it from a folder that is not the source tree: migrate, serve, and the CLI against the server."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.support.server import free_port
from tests.support.wheel import ROOT, outside_env, run

KEY = "vg-wheel-install-key"


@pytest.mark.slow
def test_the_built_wheel_serves_migrates_and_runs_the_cli(wheel_venv: Path, tmp_path: Path) -> None:
    venv, data = wheel_venv, tmp_path / "data"
    env = outside_env() | {
        "VIDGATE_DATA_DIR": str(data),
        "VIDGATE_API_KEYS": KEY,
    }
    vidgate = venv / "bin" / "vidgate"
    assert (
        "up to date"
        in subprocess.run(
            [vidgate, "migrate"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
        ).stderr
    )
    port = free_port()
    server = subprocess.Popen(
        [vidgate, "serve", "--port", str(port)], cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        cli_env = env | {"VIDGATE_URL": url, "VIDGATE_KEY": KEY}
        made = json.loads(
            run(
                vidgate,
                "generate",
                "a wheel",
                "--seconds",
                "1",
                "--size",
                "64x64",
                "--wait",
                "--json",
                cwd=tmp_path,
                env=cli_env,
            )
        )
        assert made["status"] == "completed", made
        listed = json.loads(run(vidgate, "list", "--provider", "local", "--json", cwd=tmp_path, env=cli_env))
        assert made["id"] in [v["id"] for v in listed["data"]]
        spec = httpx.get(f"{url}/openapi.json").json()
        assert "/v1/videos" in spec["paths"]
        installed = run(
            venv / "bin" / "python", "-c", "import vidgate; print(vidgate.__file__)", cwd=tmp_path
        )
        assert str(venv) in installed and str(ROOT) not in installed  # the wheel's copy, not the tree
    finally:
        server.terminate()
        server.wait(20)
