"""6. Footprint: time from process start to the first 200 on /health, and idle RSS after it."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from bench.harness import KEY, ServerProcess, rss_mb


def run(rounds: int) -> dict[str, float]:
    starts, rss = [], []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as tmp:
            server = ServerProcess(
                Path(tmp), env={"VIDGATE_API_KEYS": KEY, "VIDGATE_VALIDATE_RESPONSES": "false"}
            )
            t0 = time.perf_counter()
            server.start()
            starts.append(time.perf_counter() - t0)
            time.sleep(1.0)  # idle: the worker, sweeper and webhook loops have all run once
            assert server.proc is not None
            rss.append(rss_mb(server.proc.pid))
            server.stop()
    return {"startup_s": round(statistics.median(starts), 3), "idle_rss_mb": round(statistics.median(rss), 1)}
