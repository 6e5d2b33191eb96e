"""7. Soak: mixed traffic at a fixed rate (open loop: requests leave on schedule, whether or not
earlier ones have answered), every non-2xx or transport error counted.

The mix is what a client of a video API does: mostly polling, some listing and downloading, a
few creates that really render on the embedded `local` provider.
"""

from __future__ import annotations

import asyncio
import itertools
import time

import httpx

from bench.harness import AUTH, RssSampler, vidgate, wait_for_status

MIX = ["retrieve"] * 6 + ["list"] * 2 + ["download", "create"]
SMALL = {"model": "local/default", "prompt": "soak", "seconds": 1, "size": "160x90"}


async def _traffic(url: str, seconds: float, rate: float, done_id: str) -> tuple[list[float], list[str]]:
    latencies: list[float] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=64)
    async with httpx.AsyncClient(base_url=url, headers=AUTH, timeout=30, limits=limits) as client:
        recent = [done_id]

        async def one(kind: str) -> None:
            t0 = time.perf_counter()
            try:
                if kind == "create":
                    r = await client.post("/v1/videos", json=SMALL)
                    if r.status_code == 200:
                        recent.append(r.json()["id"])
                elif kind == "retrieve":
                    r = await client.get(f"/v1/videos/{recent[-1]}")
                elif kind == "list":
                    r = await client.get("/v1/videos", params={"provider": "local", "limit": 20})
                else:
                    r = await client.get(f"/v1/videos/{done_id}/content", params={"variant": "thumbnail"})
                if r.status_code != 200:
                    errors.append(f"{kind}: {r.status_code} {r.text[:200]}")
            except httpx.HTTPError as exc:
                errors.append(f"{kind}: {exc!r}")
            latencies.append(time.perf_counter() - t0)

        tasks = []
        start = time.perf_counter()
        for n, kind in enumerate(itertools.cycle(MIX)):
            due = start + n / rate
            if due - start >= seconds:
                break
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            tasks.append(asyncio.create_task(one(kind)))
        await asyncio.gather(*tasks)
    return latencies, errors


def run(seconds: float, rate: float = 50.0) -> dict[str, object]:
    with vidgate() as gateway:
        assert gateway.proc is not None
        first = httpx.post(f"{gateway.url}/v1/videos", headers=AUTH, json=SMALL).json()["id"]
        wait_for_status(gateway, first, "completed")
        with RssSampler(gateway.proc.pid) as rss:
            latencies, errors = asyncio.run(_traffic(gateway.url, seconds, rate, first))
    latencies.sort()
    return {
        "seconds": seconds,
        "rate_per_s": rate,
        "requests": len(latencies),
        "soak_errors": len(errors),
        "first_errors": errors[:5],
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 2),
        "p99_ms": round(latencies[int(len(latencies) * 0.99)] * 1000, 2),
        "rss_start_mb": round(rss.start, 1),
        "rss_peak_mb": round(rss.peak, 1),
    }
