"""A real vidgate server in its own process (uvicorn on a free port), as users run it."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


ALL_SERVERS: list[ServerProcess] = []  # every server this test run started, for the log audit
SECRET_NAMES = ("API_KEYS", "API_KEY", "SECRET_ACCESS_KEY", "SECRET_KEY", "SECRET", "TOKEN")


class ServerProcess:
    def __init__(
        self,
        data_dir: Path,
        env: dict[str, str] | None = None,
        port: int | None = None,
        register: bool = True,
        *,
        host: str = "127.0.0.1",
        args: tuple[str, ...] = (),
        command: tuple[str, ...] | None = None,
        cwd: Path | None = None,
    ):
        """`args`: more `vidgate serve` options (`--role worker`, `--workers 2`); `host`: another
        loopback address (127.0.0.2, ...) stands for another machine. `command` runs instead of
        `vidgate serve` (an image's entry point, say), as it is: `env` then tells it where to listen."""
        self.data_dir = data_dir
        self.host, self.args, self.command, self.cwd = host, args, command, cwd
        self.port = port or free_port()
        inherited = {k: v for k, v in os.environ.items() if not k.startswith("VIDGATE_")}
        self.env = {
            **inherited,
            "VIDGATE_DATA_DIR": str(data_dir),
            "VIDGATE_LOG_LEVEL": "info",
            "VIDGATE_VALIDATE_RESPONSES": "true",
            **(env or {}),
        }
        self.log_path = data_dir / f"server-{self.port}.log"
        self.proc: subprocess.Popen[bytes] | None = None
        if register:  # audited for secrets at the end of the session
            ALL_SERVERS.append(self)

    def secrets(self) -> set[str]:
        """Every credential this server was given: none may ever appear in its log."""
        found: set[str] = set()
        for name, value in self.env.items():
            if name.startswith("VIDGATE_") and name.endswith(SECRET_NAMES):
                found |= {v.strip() for v in value.split(",")}
        config = self.env.get("VIDGATE_CONFIG")
        if config and Path(config).is_file():
            import yaml

            data = yaml.safe_load(Path(config).read_text()) or {}
            for keys in (data.get("tenants") or {}).values():
                found |= set(keys)
            for hook in (data.get("webhooks") or {}).values():
                found.add(hook["secret"])
        return {s for s in found if len(s) >= 8}

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def works_jobs_only(self) -> bool:
        if "--role" in self.args:
            return "worker" in self.args
        return self.env.get("VIDGATE_ROLE") == "worker"

    def events(self) -> list[dict]:
        """The structured lines of its log (JSON), whatever their spacing."""
        import json

        return [json.loads(line) for line in self.log().splitlines() if line.startswith("{")]

    def worker_owners(self) -> list[str]:
        """The lease-owner names of this server's job workers (one per process), from its log."""
        return [e["worker"] for e in self.events() if e["event"] == "jobs_started"]

    def start(self, timeout: float = 30.0) -> ServerProcess:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        serve = (sys.executable, "-m", "vidgate.cli", "serve", "--host", self.host, "--port", str(self.port))
        self.proc = subprocess.Popen(
            [*(self.command or serve), *self.args],
            env=self.env,
            cwd=self.cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: kill() takes every process of it
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.log()}")
            if self.works_jobs_only:  # no HTTP: ready once its worker says so
                if '"jobs_started"' in self.log():
                    return self
            else:
                try:
                    if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                        return self
                except httpx.HTTPError:
                    pass
            time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"server did not become healthy in {timeout}s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self, timeout: float = 20.0) -> int:
        """SIGTERM, as an orchestrator would; returns the exit code."""
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode

    def kill(self) -> None:
        """SIGKILL to every process of the server (with several workers, the host dying): no
        chance to clean up."""
        if self.proc and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
