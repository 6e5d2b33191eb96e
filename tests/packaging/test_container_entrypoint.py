"""The image's entry point, run as plain processes (no container runtime runs here: README,
"Containers"). The built wheel in a fresh virtualenv stands for the image's /opt/vidgate; each
vidgate service of compose.yaml becomes one process of the Dockerfile's ENTRYPOINT and CMD, with
the environment compose gives that service, but for the addresses of PostgreSQL and the S3 store
(this test's) and of the process itself (containers have a network each; here they share one)."""

from __future__ import annotations

import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from tests.durability.conftest import pg_rows
from tests.support.container import built_services, environment, read_compose, read_image
from tests.support.databases import migration_head
from tests.support.server import ServerProcess, free_port

KEY = "vg-compose-entrypoint-key"
H = {"Authorization": f"Bearer {KEY}"}


def containers(wheel_venv: Path, pg_url: str, s3_endpoint: str, bucket: str, tmp_path: Path) -> dict:
    image = read_image()
    compose = read_compose(
        {
            "POSTGRES_PASSWORD": "compose-pg-password",
            "MINIO_ROOT_USER": "compose-minio",
            "MINIO_ROOT_PASSWORD": "compose-minio-password",
            "VIDGATE_API_KEYS": KEY,
            "VIDGATE_S3_BUCKET": bucket,
        }
    )
    command = (str(image.source_of(image.entrypoint[0])), *image.entrypoint[1:], *image.cmd)
    started = {}
    for name, service in built_services(compose).items():
        env = environment(service)
        # The addresses compose wires up, swapped for this test's: only these are not compose's.
        assert urlsplit(env["VIDGATE_DATABASE_URL"]).hostname == "postgres"
        assert urlsplit(env["VIDGATE_S3__ENDPOINT"]).hostname == "minio"
        port = free_port()
        env = (
            image.env
            | env
            | {
                "PATH": image.env["PATH"]
                .replace("/opt/vidgate/bin", str(wheel_venv / "bin"))
                .replace("$PATH", "/usr/local/bin:/usr/bin:/bin"),
                "VIDGATE_DATA_DIR": str(tmp_path / name),
                "VIDGATE_HOST": "127.0.0.1",
                "VIDGATE_PORT": str(port),
                "VIDGATE_DATABASE_URL": pg_url,
                "VIDGATE_S3__ENDPOINT": s3_endpoint,
            }
        )
        started[name] = ServerProcess(tmp_path / name, env, port=port, command=command, cwd=tmp_path)
    return started


@pytest.mark.slow
def test_two_api_and_two_worker_containers_start_together_on_a_new_database(
    wheel_venv: Path, pg_url: str, s3, tmp_path: Path
) -> None:
    bucket = s3.new_bucket()
    processes = containers(wheel_venv, pg_url, s3.endpoint, bucket, tmp_path)
    roles = {name: p.env["VIDGATE_ROLE"] for name, p in processes.items()}
    assert sorted(roles.values()) == ["api", "api", "worker", "worker"], roles
    apis = [p for p in processes.values() if p.env["VIDGATE_ROLE"] == "api"]
    try:
        # All four at once on a database no migration has touched.
        with ThreadPoolExecutor(len(processes)) as pool:
            list(pool.map(lambda p: p.start(timeout=120), processes.values()))
        logs = {name: p.log() for name, p in processes.items()}
        assert pg_rows(pg_url, "SELECT version_num FROM alembic_version") == [(migration_head(),)]
        for name, log in logs.items():
            assert "database is up to date" in log, (name, log[-3000:])
            assert "cannot migrate" not in log and "Traceback" not in log, (name, log[-3000:])
            assert "error" not in log.lower(), (name, log[-3000:])
        # exec: the gateway itself is the container's main process, and gets its SIGTERM.
        for name, p in processes.items():
            main = Path(f"/proc/{p.proc.pid}/cmdline").read_bytes().split(b"\0")
            assert main[1:3] == [bytes(wheel_venv / "bin" / "vidgate"), b"serve"], (name, main)
        # The HEALTHCHECK, as the image runs it, in each container's environment.
        image = read_image()
        for name, p in processes.items():
            check = [image.healthcheck[0], str(image.source_of(image.healthcheck[1]))]
            done = subprocess.run(check, env=p.env, capture_output=True, text=True, timeout=30)
            assert done.returncode == 0, (name, done.stderr)

        # A video made through one API, rendered by the workers, downloaded through the other.
        made = httpx.post(
            f"{apis[0].url}/v1/videos",
            headers=H,
            json={"model": "local/default", "prompt": "a container ship", "seconds": 1, "size": "64x64"},
            timeout=30,
        )
        assert made.status_code == 200, made.text
        video = made.json()
        deadline = time.monotonic() + 90
        while video["status"] not in ("completed", "failed") and time.monotonic() < deadline:
            time.sleep(0.25)
            video = httpx.get(f"{apis[1].url}/v1/videos/{video['id']}", headers=H, timeout=10).json()
        assert video["status"] == "completed", video
        content = httpx.get(f"{apis[1].url}/v1/videos/{video['id']}/content", headers=H, timeout=30)
        assert content.status_code == 200 and content.content[4:8] == b"ftyp"
        assert any(video["id"].split(":")[0] in key for key in s3.keys(bucket))
        rendered_by = [n for n, p in processes.items() if '"job_completed"' in p.log()]
        assert len(rendered_by) == 1 and roles[rendered_by[0]] == "worker", rendered_by
    finally:
        for p in processes.values():
            if p.proc is not None:
                p.stop()
    print(
        f"\ncontainers as processes: {', '.join(f'{n} ({r})' for n, r in roles.items())}; "
        f"migrated once to {migration_head()}; video {video['id']} made on one API, downloaded on the other"
    )
