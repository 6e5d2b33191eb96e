"""One gateway process in front of loopback fakes of every provider's native API."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.fakes.harness import FakeServer
from tests.fakes.hosted_platforms import FalFake, ReplicateFake
from tests.fakes.openai_videos import OpenAIVideosFake
from tests.support.catalog import SORA_STILL_SERVED
from tests.support.server import ServerProcess

GATEWAY_KEY = "vg-providers-test"
SECRETS = {
    "openai": "sk-fake-openai",
    "azure": "az-fake-key",
    "replicate": "r8_fake_replicate",
    "fal": "fal-fake-key",
}


class Fakes(dict):
    """name -> (fake state, running server)."""

    def state(self, name: str):
        return self[name][0]

    def server(self, name: str) -> FakeServer:
        return self[name][1]


@pytest.fixture(scope="session")
def fakes() -> Iterator[Fakes]:
    made = {
        "openai": OpenAIVideosFake(key=SECRETS["openai"]),
        "azure": OpenAIVideosFake(
            prefix="/openai/v1/videos", key=SECRETS["azure"], azure=True, thumbnails=False
        ),
        "replicate": ReplicateFake(SECRETS["replicate"]),
        "fal": FalFake(SECRETS["fal"]),
    }
    servers = {name: FakeServer(fake.app()) for name, fake in made.items()}
    for server in servers.values():
        server.__enter__()
    yield Fakes({name: (made[name], servers[name]) for name in made})
    for server in servers.values():
        server.__exit__()


def provider_env(fakes: Fakes) -> dict[str, str]:
    env = {
        "VIDGATE_API_KEYS": GATEWAY_KEY,
        "VIDGATE_ALLOW_PRIVATE_URLS": "true",
        "VIDGATE_POLL_INTERVAL_SECONDS": "0.05",
        **SORA_STILL_SERVED,
    }
    for name in fakes:
        prefix = f"VIDGATE_PROVIDERS__{name.upper()}__"
        env |= {
            prefix + "API_KEY": SECRETS[name],
            prefix + "BASE_URL": fakes.server(name).url,
            prefix + "POLL_INTERVAL_SECONDS": "0.1",
            prefix + "MAX_RETRY_WAIT_SECONDS": "0.2",
            prefix + "TIMEOUT_SECONDS": "3",
        }
    return env


@pytest.fixture(scope="session")
def gateway(fakes: Fakes, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    server = ServerProcess(tmp_path_factory.mktemp("providers"), env=provider_env(fakes)).start()
    yield server
    server.stop()


@pytest.fixture
def api(gateway: ServerProcess) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=gateway.url, headers={"Authorization": f"Bearer {GATEWAY_KEY}"}, timeout=30
    ) as c:
        yield c


def wait_done(api: httpx.Client, video_id: str, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = api.get(f"/v1/videos/{video_id}").json()
        if job["status"] in ("completed", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"{video_id} not done in {timeout}s: {job}")


def secrets_absent(gateway: ServerProcess, *texts: str) -> None:
    for secret in SECRETS.values():
        assert secret not in gateway.log()
        for text in texts:
            assert secret not in text


@pytest.fixture
def tmp_png(tmp_path: Path) -> Path:
    from tests.fakes.harness import png_bytes

    path = tmp_path / "ref.png"
    path.write_bytes(png_bytes())
    return path
