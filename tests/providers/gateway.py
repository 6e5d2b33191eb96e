"""A gateway process in front of loopback fakes of providers' native APIs, for one test module.

A provider's test module describes its fake as a `ProviderFake` and starts a gateway for it:

    @pytest.fixture(scope="module")
    def stack(tmp_path_factory):
        with provider_stack(tmp_path_factory, LumaFake.provider_fake()) as stack:
            yield stack
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.fakes.harness import FakeServer
from tests.support.server import ServerProcess

GATEWAY_KEY = "vg-provider-stack-key"


@dataclass
class ProviderFake:
    """A fake of one provider's native API and what the gateway needs to reach it."""

    provider: str  # the provider's name in vidgate
    state: Any  # the fake's own state, for assertions
    app: Any  # its ASGI app
    secrets: dict[str, str]  # setting name (API_KEY, SECRET_KEY...) -> value; never in a log
    settings: Callable[[str], dict[str, str]] = lambda url: {}  # more settings, given the fake's URL
    catalog: dict[str, Any] = field(default_factory=dict)  # catalog overrides the test needs


@dataclass
class Stack:
    gateway: ServerProcess
    servers: dict[str, FakeServer]
    fakes: dict[str, ProviderFake]

    def api(self) -> httpx.Client:
        return httpx.Client(
            base_url=self.gateway.url, headers={"Authorization": f"Bearer {GATEWAY_KEY}"}, timeout=30
        )

    def calls(self, provider: str, method: str | None = None) -> list:
        return [c for c in self.servers[provider].app.calls if method is None or c.method == method]


def provider_env(fakes: list[ProviderFake], servers: dict[str, FakeServer]) -> dict[str, str]:
    env = {
        "VIDGATE_API_KEYS": GATEWAY_KEY,
        "VIDGATE_ALLOW_PRIVATE_URLS": "true",
        "VIDGATE_POLL_INTERVAL_SECONDS": "0.05",
    }
    catalog: dict[str, Any] = {}
    for fake in fakes:
        prefix = f"VIDGATE_PROVIDERS__{fake.provider.upper()}__"
        url = servers[fake.provider].url
        env |= {
            prefix + "BASE_URL": url,
            prefix + "POLL_INTERVAL_SECONDS": "0.1",
            prefix + "MAX_RETRY_WAIT_SECONDS": "0.2",
            prefix + "TIMEOUT_SECONDS": "3",
        }
        env |= {prefix + name: value for name, value in fake.secrets.items()}
        env |= {prefix + name: value for name, value in fake.settings(url).items()}
        catalog |= fake.catalog
    if catalog:
        env["VIDGATE_CATALOG"] = json.dumps(catalog)
    return env


@contextlib.contextmanager
def provider_stack(tmp_path_factory: pytest.TempPathFactory, *fakes: ProviderFake) -> Iterator[Stack]:
    servers = {fake.provider: FakeServer(fake.app) for fake in fakes}
    with contextlib.ExitStack() as stack:
        for server in servers.values():
            stack.enter_context(server)
        gateway = ServerProcess(
            tmp_path_factory.mktemp("stack-" + "-".join(f.provider for f in fakes)),
            env=provider_env(list(fakes), servers),
        ).start()
        try:
            yield Stack(gateway, servers, {f.provider: f for f in fakes})
        finally:
            gateway.stop()
        log = gateway.log()
        for fake in fakes:
            for secret in fake.secrets.values():
                assert secret not in log, f"{fake.provider}'s {secret[:4]}... reached the gateway's log"


def wait_done(api: httpx.Client, video_id: str, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    job: dict = {}
    while time.monotonic() < deadline:
        job = api.get(f"/v1/videos/{video_id}").json()
        if job["status"] in ("completed", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"{video_id} not done in {timeout}s: {job}")
