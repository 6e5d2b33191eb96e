"""What every benchmark part shares: processes on loopback, wrk as the load generator, RSS.

Load comes from wrk (Debian's package) in its own process: a Python load generator on 2 cores
saturates before a bare Starlette route does, which hides the very ratio being measured.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.catalog import SORA_STILL_SERVED  # noqa: E402
from tests.support.server import ServerProcess, free_port  # noqa: E402

KEY = "bench-key-000000001"
AUTH = {"Authorization": f"Bearer {KEY}"}
UPSTREAM_KEY = "sk-bench-upstream-0001"

BARE_APP = """
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

async def video(request):
    return JSONResponse({"id": request.path_params["video_id"], "object": "video", "status": "completed"})

async def create(request):
    body = await request.json()
    return JSONResponse({"id": "video_bare", "object": "video", "status": "queued", "prompt": body["prompt"]})

app = Starlette(
    routes=[Route("/v1/videos/{video_id}", video), Route("/v1/videos", create, methods=["POST"])]
)
"""


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class RssSampler:
    """RSS of a process when the block starts, and its peak while it runs (every 20 ms)."""

    def __init__(self, pid: int) -> None:
        self.pid, self.start, self.peak, self._stop = pid, 0.0, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mb(self.pid))
            time.sleep(0.02)

    def __enter__(self) -> RssSampler:
        self.start = self.peak = rss_mb(self.pid)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


class Uvicorn:
    """A plain ASGI app under uvicorn in its own process (the fake upstream, the bare route)."""

    def __init__(self, app: str, app_dir: Path, ready_path: str, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "uvicorn", app, "--app-dir", str(app_dir)]
        command += ["--port", str(self.port), "--log-level", "warning", "--no-access-log"]
        self.proc = subprocess.Popen(
            command,
            env={**_clean_env(), **(env or {})},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until_up(f"{self.url}{ready_path}")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def _clean_env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith(("VIDGATE_", "FAKE_"))}


def wait_until_up(url: str, timeout: float = 60.0, headers: dict[str, str] | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, headers=headers, timeout=1).status_code < 500:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up in {timeout:.0f}s")


@contextlib.contextmanager
def fake_upstream(**env: str) -> Iterator[Uvicorn]:
    fake_env = {f"FAKE_{k.upper()}": v for k, v in env.items()}
    server = Uvicorn("bench.fake_upstream:app", ROOT, "/_stats", fake_env)
    try:
        yield server
    finally:
        server.stop()


@contextlib.contextmanager
def bare_route() -> Iterator[Uvicorn]:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "bare_app.py").write_text(BARE_APP)
        server = Uvicorn("bare_app:app", Path(tmp), "/v1/videos/x")
        try:
            yield server
        finally:
            server.stop()


@contextlib.contextmanager
def vidgate(upstream: Uvicorn | None = None, **env: str) -> Iterator[ServerProcess]:
    """vidgate with its defaults (access log on, responses not validated), plus `env`."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = {"VIDGATE_API_KEYS": KEY, "VIDGATE_VALIDATE_RESPONSES": "false"}
        if upstream is not None:
            settings |= {
                "VIDGATE_PROVIDERS__OPENAI__API_KEY": UPSTREAM_KEY,
                "VIDGATE_PROVIDERS__OPENAI__BASE_URL": upstream.url,
                "VIDGATE_ALLOW_PRIVATE_URLS": "true",
                **SORA_STILL_SERVED,
            }
        server = ServerProcess(Path(tmp), env={**settings, **env}).start(timeout=60)
        try:
            yield server
        finally:
            server.stop()


def wait_for_status(server: ServerProcess, video_id: str, status: str, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = httpx.get(f"{server.url}/v1/videos/{video_id}", headers=AUTH, timeout=10).json()
        if job["status"] == status:
            return job
        if job["status"] == "failed":
            raise RuntimeError(f"job failed: {job}")
        time.sleep(0.1)
    raise RuntimeError(f"{video_id} not {status} in {timeout}s")


# --- wrk ----------------------------------------------------------------------------------------

WRK_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"status_errors":%d,"socket_errors":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
"""


@dataclass
class WrkResult:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


def wrk(
    url: str,
    *,
    connections: int,
    seconds: float,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: str | None = None,
    paths: list[str] | None = None,
    threads: int = 1,
    delay_ms: int = 0,
) -> WrkResult:
    """One wrk run; `paths` rotates requests over several paths of the same host; `delay_ms`
    paces each connection (a pause before each request, as a polling client makes)."""
    lua = [f'wrk.method = "{method}"']
    lua += [f'wrk.headers["{k}"] = "{v}"' for k, v in (headers or {}).items()]
    if body is not None:
        lua.append(f"wrk.body = {json.dumps(body)}")
    if paths:
        lua.append("local paths = {" + ",".join(json.dumps(p) for p in paths) + "}")
        lua.append("local n = 0")
        lua.append("request = function() n = n + 1; return wrk.format(nil, paths[(n % #paths) + 1]) end")
    if delay_ms:  # jittered (±50%, same mean) so that connections do not poll in lockstep
        lua.append(f"delay = function() return math.random({delay_ms // 2}, {delay_ms * 3 // 2}) end")
    lua.append(WRK_DONE)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write("\n".join(lua))
    try:
        out = subprocess.run(
            [
                wrk_binary(),
                f"-t{threads}",
                f"-c{connections}",
                f"-d{max(1, round(seconds))}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=seconds + 60,
        ).stdout
    finally:
        Path(script.name).unlink()
    stats = json.loads(out.strip().splitlines()[-1])
    return WrkResult(
        rps=stats["requests"] / (stats["duration_us"] / 1e6),
        p50_ms=stats["p50_us"] / 1000,
        p99_ms=stats["p99_us"] / 1000,
        requests=stats["requests"],
        errors=stats["status_errors"] + stats["socket_errors"],
    )


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is not installed: `make bench` installs it (apt-get install wrk)")
    return found


def median_result(runs: list[WrkResult]) -> WrkResult:
    return WrkResult(
        rps=statistics.median(r.rps for r in runs),
        p50_ms=statistics.median(r.p50_ms for r in runs),
        p99_ms=statistics.median(r.p99_ms for r in runs),
        requests=sum(r.requests for r in runs),
        errors=sum(r.errors for r in runs),
    )
