"""vidgate benchmarks: ratios measured side by side in one run, medians of repeated rounds.

    .venv/bin/python bench/run.py [footprint] [render] [overhead] [--quick]

Writes bench/results.json and prints a table. All traffic stays on 127.0.0.1, bounded in count.
Parts not built yet (see issue 7): the LiteLLM peer, polling fan-in, 1 GB download, soak.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.server import ServerProcess, free_port  # noqa: E402

KEY = "bench-key-000000001"


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# --- 6. footprint ------------------------------------------------------------------------------


def footprint(rounds: int) -> dict[str, float]:
    """Time from process start to the first 200 on /health, and idle RSS after start."""
    starts, rss = [], []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as tmp:
            server = ServerProcess(
                Path(tmp), env={"VIDGATE_API_KEYS": KEY, "VIDGATE_VALIDATE_RESPONSES": "false"}
            )
            t0 = time.perf_counter()
            server.start()
            starts.append(time.perf_counter() - t0)
            time.sleep(1.0)
            assert server.proc is not None
            rss.append(rss_mb(server.proc.pid))
            server.stop()
    return {"startup_s": round(statistics.median(starts), 3), "idle_rss_mb": round(statistics.median(rss), 1)}


# --- 5. local render ---------------------------------------------------------------------------


def _render(args: tuple[int, int, int, int]) -> float:
    from vidgate.render import ClipSpec, render_clip

    seconds, width, height, seed = args
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        render_clip(
            ClipSpec(prompt=f"bench {seed}", seconds=seconds, width=width, height=height, seed=seed),
            Path(tmp),
        )
        return time.perf_counter() - t0


def render(rounds: int) -> dict[str, float]:
    """Real-time factor (clip seconds / wall seconds), one job and two at once."""
    out: dict[str, float] = {}
    for key, (seconds, width, height) in {"720p": (4, 1280, 720), "1080p": (8, 1920, 1080)}.items():
        single = [seconds / _render((seconds, width, height, i)) for i in range(rounds)]
        out[f"render_rtf_{key}"] = round(statistics.median(single), 2)
        pairs = []
        for i in range(rounds):
            t0 = time.perf_counter()
            with ThreadPoolExecutor(2) as pool:  # the gateway renders in a thread pool too
                list(
                    pool.map(_render, [(seconds, width, height, 100 + i), (seconds, width, height, 200 + i)])
                )
            pairs.append(2 * seconds / (time.perf_counter() - t0))
        out[f"render_rtf_{key}_2_concurrent"] = round(statistics.median(pairs), 2)
    return out


# --- 1. overhead against a bare Starlette route on the same stack --------------------------------

BARE_APP = """
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

async def video(request):
    return JSONResponse({"id": request.path_params["video_id"], "object": "video", "status": "completed"})

app = Starlette(routes=[Route("/v1/videos/{video_id}", video)])
"""


async def _load(
    url: str, headers: dict[str, str], concurrency: int, requests: int
) -> tuple[list[float], float]:
    latencies: list[float] = []
    async with httpx.AsyncClient(headers=headers, limits=httpx.Limits(max_connections=concurrency)) as client:
        queue = iter(range(requests))

        async def worker() -> None:
            for _ in queue:
                t0 = time.perf_counter()
                response = await client.get(url)
                latencies.append(time.perf_counter() - t0)
                assert response.status_code == 200, response.text

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return latencies, requests / (time.perf_counter() - t0)


def overhead(rounds: int, requests: int) -> dict[str, object]:
    """GET a job: vidgate (spec validation, auth, store lookup) vs a bare Starlette JSON route,
    both under uvicorn on this machine, alternating rounds. Retrieve answers from the store, never
    the upstream, so no upstream is involved: this is the gateway's own cost."""
    with tempfile.TemporaryDirectory() as tmp:
        bare_file = Path(tmp) / "bare_app.py"
        bare_file.write_text(BARE_APP)
        port = free_port()
        bare = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "bare_app:app", "--port", str(port), "--log-level", "warning"],
            cwd=tmp,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        server = ServerProcess(
            Path(tmp) / "vg",
            env={
                "VIDGATE_API_KEYS": KEY,
                "VIDGATE_VALIDATE_RESPONSES": "false",
                "VIDGATE_ACCESS_LOG": "false",
            },
        ).start()
        try:
            headers = {"Authorization": f"Bearer {KEY}"}
            job = httpx.post(
                f"{server.url}/v1/videos",
                headers=headers,
                json={"model": "local/default", "prompt": "bench", "seconds": 1, "size": "64x64"},
            ).json()
            for _ in range(100):
                if (
                    httpx.get(f"{server.url}/v1/videos/{job['id']}", headers=headers).json()["status"]
                    == "completed"
                ):
                    break
                time.sleep(0.1)
            targets = {
                "vidgate": (f"{server.url}/v1/videos/{job['id']}", headers),
                "bare": (f"http://127.0.0.1:{port}/v1/videos/{job['id']}", {}),
            }
            results: dict[str, object] = {}
            for concurrency in (1, 16, 64):
                samples: dict[str, list[tuple[list[float], float]]] = {"vidgate": [], "bare": []}
                for _ in range(rounds):
                    for name, (url, h) in targets.items():  # side by side, alternating
                        samples[name].append(asyncio.run(_load(url, h, concurrency, requests)))
                p = {}
                for name, runs in samples.items():
                    lat = sorted(x for run, _ in runs for x in run)
                    p[name] = {
                        "p50_ms": lat[len(lat) // 2] * 1000,
                        "p99_ms": lat[int(len(lat) * 0.99)] * 1000,
                        "rps": statistics.median(rps for _, rps in runs),
                    }
                results[f"c{concurrency}"] = {
                    "overhead_p50_ms": round(p["vidgate"]["p50_ms"] - p["bare"]["p50_ms"], 3),
                    "overhead_p99_ms": round(p["vidgate"]["p99_ms"] - p["bare"]["p99_ms"], 3),
                    "rps_ratio_vs_bare": round(p["vidgate"]["rps"] / p["bare"]["rps"], 3),
                    "vidgate_rps": round(p["vidgate"]["rps"]),
                    "bare_rps": round(p["bare"]["rps"]),
                }
            return results
        finally:
            server.stop()
            bare.terminate()
            bare.wait(10)


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    parts = [a for a in argv if not a.startswith("--")] or ["footprint", "render", "overhead"]
    rounds = 1 if quick else 3
    results: dict[str, object] = {"machine": {"cpus": os.cpu_count()}, "quick": quick}
    if "footprint" in parts:
        results["footprint"] = footprint(rounds)
    if "render" in parts:
        results["render"] = render(rounds)
    if "overhead" in parts:
        results["overhead"] = overhead(rounds, 50 if quick else 1000)
    out = ROOT / "bench" / "results.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
