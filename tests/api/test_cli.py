"""The `vidgate` command as a shell user runs it: keys, generate with a progress bar, exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.support.media import probe_mp4
from tests.support.server import ServerProcess

VIDGATE = [sys.executable, "-m", "vidgate.cli"]


def run(args: list[str], env: dict[str, str], **kw) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("VIDGATE_")}
    return subprocess.run(
        [*VIDGATE, *args], env={**clean, **env}, capture_output=True, text=True, timeout=120, **kw
    )


ADMIN = "vg-cli-admin-key-0001"


@pytest.fixture
def gateway(tmp_path: Path):
    server = ServerProcess(
        tmp_path / "data", env={"VIDGATE_API_KEYS": "bootstrap-key", "VIDGATE_ADMIN_KEYS": ADMIN}
    ).start()
    env = {"VIDGATE_URL": server.url, "VIDGATE_ADMIN_KEY": ADMIN}  # the operator's shell
    created = run(["keys", "create", "--tenant", "shell", "--name", "tests", "--json"], env)
    assert created.returncode == 0, created.stderr
    key = json.loads(created.stdout)
    yield server, env, key
    server.stop()


def test_keys_create_list_revoke(gateway) -> None:
    server, env, key = gateway
    listed = json.loads(run(["keys", "list", "--json"], env).stdout)
    assert [k["id"] for k in listed] == [key["id"]] and "key" not in listed[0]
    headers = {"Authorization": f"Bearer {key['key']}"}
    assert httpx.get(f"{server.url}/v1/videos?provider=local", headers=headers).status_code == 200
    assert run(["keys", "revoke", key["id"]], env).returncode == 0
    assert run(["keys", "revoke", "key_does_not_exist"], env).returncode == 1
    assert run(["keys", "list"], {**env, "VIDGATE_ADMIN_KEY": key["key"]}).returncode == 1  # no admin
    import time

    time.sleep(1.2)  # the key cache lasts a second
    assert httpx.get(f"{server.url}/v1/videos?provider=local", headers=headers).status_code == 401


@pytest.mark.skipif(shutil.which("script") is None, reason="needs script(1) for a pseudo-terminal")
def test_generate_wait_out_draws_a_progress_bar_and_saves_a_playable_mp4(gateway, tmp_path: Path) -> None:
    server, _, key = gateway
    clip = tmp_path / "clip.mp4"
    command = " ".join(
        [
            *VIDGATE,
            "generate",
            "'a paper boat at dusk'",
            "--seconds",
            "4",
            "--size",
            "1280x720",
            "--out",
            str(clip),
        ]
    )
    shell_env = {**os.environ, "VIDGATE_URL": server.url, "VIDGATE_KEY": key["key"], "COLUMNS": "100"}
    typescript = tmp_path / "typescript"
    result = subprocess.run(
        ["script", "-qec", command, str(typescript)],
        env=shell_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    screen = typescript.read_text(errors="replace")
    assert result.returncode == 0, screen[-2000:]
    assert "━" in screen and "100%" in screen and "in_progress" in screen and "completed" in screen
    video = probe_mp4(clip.read_bytes())
    assert (video.codec, video.width, video.frames) == ("h264", 1280, 96)


def test_json_output_and_exit_codes(gateway, tmp_path: Path) -> None:
    server, _, key = gateway
    user = {"VIDGATE_URL": server.url, "VIDGATE_KEY": key["key"]}
    made = run(["generate", "json please", "--seconds", "1", "--size", "64x64", "--wait", "--json"], user)
    assert made.returncode == 0, made.stderr
    job = json.loads(made.stdout)
    assert job["status"] == "completed" and job["id"].endswith(":local")
    assert run(["get", job["id"], "--json"], user).returncode == 0
    thumb = tmp_path / "t.webp"
    assert run(["download", job["id"], "--variant", "thumbnail", "--out", str(thumb)], user).returncode == 0
    assert thumb.read_bytes()[8:12] == b"WEBP"
    bad = run(["generate", "odd", "--size", "65x64"], user)
    assert bad.returncode == 1 and "even" in bad.stderr
    assert run(["list"], {"VIDGATE_URL": server.url, "VIDGATE_KEY": "wrong"}).returncode == 1
    unreachable = run(["list"], {"VIDGATE_URL": "http://127.0.0.1:9", "VIDGATE_KEY": "x"})
    assert unreachable.returncode == 2 and "cannot reach" in unreachable.stderr
    assert run(["delete", job["id"]], user).returncode == 0


def test_a_stored_keys_concurrent_job_limit_gives_429(gateway) -> None:
    server, env, _ = gateway
    made = run(["keys", "create", "--tenant", "shell", "--max-jobs", "1", "--json"], env)
    limited = json.loads(made.stdout)
    headers = {"Authorization": f"Bearer {limited['key']}"}
    body = {"model": "local/default", "prompt": "long", "seconds": 20, "size": "1280x720"}
    first = httpx.post(f"{server.url}/v1/videos", headers=headers, json=body)
    assert first.status_code == 200
    second = httpx.post(f"{server.url}/v1/videos", headers=headers, json=body)
    assert second.status_code == 429 and second.json()["error"]["code"] == "too_many_active_jobs"
    assert second.headers["retry-after"] == "5" and "its limit is 1" in second.json()["error"]["message"]
    httpx.delete(f"{server.url}/v1/videos/{first.json()['id']}", headers=headers)
    again = httpx.post(f"{server.url}/v1/videos", headers=headers, json={**body, "seconds": 1})
    assert again.status_code == 200


def test_budgets_and_spend_from_the_command_line(gateway) -> None:
    server, env, _ = gateway
    made = run(
        [
            "keys",
            "create",
            "--tenant",
            "budgeted",
            "--budget-usd",
            "50",
            "--period",
            "month",
            "--rpm",
            "60",
            "--json",
        ],
        env,
    )
    assert made.returncode == 0, made.stderr
    key = json.loads(made.stdout)
    assert key["budget"] == {"usd": 50.0, "period": "month"} and key["requests_per_minute"] == 60
    table = run(["keys", "list", "--tenant", "budgeted"], {**env, "COLUMNS": "200"})
    assert "$50.00/month" in table.stdout and key["id"] in table.stdout
    changed = json.loads(run(["keys", "update", key["id"], "--no-budget", "--json"], env).stdout)
    assert "budget" not in changed[0]
    tenant = run(["tenants", "set", "budgeted", "--budget-usd", "5", "--period", "day", "--json"], env)
    assert json.loads(tenant.stdout)["budget"] == {"usd": 5.0, "period": "day"}
    user = {"VIDGATE_URL": server.url, "VIDGATE_KEY": key["key"]}
    assert run(["generate", "spent", "--seconds", "1", "--size", "64x64", "--wait"], user).returncode == 0
    usage = run(["usage"], {**user, "COLUMNS": "200"})
    assert usage.returncode == 0 and "tenant budgeted: $0.00 spent" in usage.stdout, usage.stdout
    report = json.loads(run(["spend", "--tenant", "budgeted", "--json"], env).stdout)
    assert report["total_seconds"] == 1 and report["data"][0]["tenant"] == "budgeted"
