"""4. Download: a 1 GiB video through the gateway against the same bytes served directly.

"Direct" is the fake upstream serving the file with Starlette's FileResponse on the same stack,
reading 1 MiB at a time as the gateway does (the 64 KiB default capped both near 200 MB/s here);
the gateway serves its own stored copy (it fetched the asset once, when the job completed) behind
auth, the store lookup and Range support. curl reads both, in its own process. RSS growth is the
gateway's peak during the transfer over its RSS just before.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

from bench.harness import AUTH, ROOT, RssSampler, fake_upstream, vidgate, wait_for_status

MIB = 1 << 20


def write_asset(path: Path, size_mb: int) -> None:
    block = os.urandom(MIB)  # incompressible, not sparse: the disk and page cache do real work
    with path.open("wb") as f:
        f.write(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom")
        for _ in range(size_mb):
            f.write(block)


def curl(url: str, headers: dict[str, str]) -> tuple[float, int]:
    """(MB/s, bytes) for one GET to /dev/null."""
    cmd = ["curl", "-sS", "-o", "/dev/null", "-w", "%{speed_download} %{size_download} %{http_code}"]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    speed, size, status = subprocess.run(
        [*cmd, url], capture_output=True, text=True, check=True
    ).stdout.split()
    if status != "200":
        raise RuntimeError(f"{url}: HTTP {status}")
    return float(speed) / MIB, int(size)


def read_file(path: Path) -> float:
    t0 = time.perf_counter()
    with path.open("rb") as f:
        while f.read(MIB):
            pass
    return path.stat().st_size / MIB / (time.perf_counter() - t0)


def run(rounds: int, size_mb: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(dir=ROOT / "bench") as tmp:
        asset = Path(tmp) / "big.mp4"
        write_asset(asset, size_mb)
        expected = asset.stat().st_size
        with fake_upstream(content_file=str(asset)) as upstream, vidgate(upstream) as gateway:
            body = {"model": "openai/sora-2", "prompt": "big", "seconds": 4, "size": "720x1280"}
            t0 = time.perf_counter()
            job = httpx.post(f"{gateway.url}/v1/videos", headers=AUTH, json=body, timeout=60).json()["id"]
            wait_for_status(gateway, job, "completed", timeout=600)
            ingest_s = time.perf_counter() - t0
            upstream_id = httpx.get(f"{upstream.url}/v1/videos").json()["data"][0]["id"]
            direct_url = f"{upstream.url}/v1/videos/{upstream_id}/content"
            gateway_url = f"{gateway.url}/v1/videos/{job}/content"
            assert gateway.proc is not None
            direct, through, growth, disk = [], [], [], []
            for _ in range(rounds):
                disk.append(read_file(asset))
                speed, size = curl(direct_url, {})
                assert size == expected, (size, expected)
                direct.append(speed)
                with RssSampler(gateway.proc.pid) as rss:
                    speed, size = curl(gateway_url, AUTH)
                assert size == expected, (size, expected)
                through.append(speed)
                growth.append(rss.peak - rss.start)
    return {
        "size_mb": size_mb,
        "ingest_s": round(ingest_s, 2),
        "direct_mb_s": round(statistics.median(direct)),
        "vidgate_mb_s": round(statistics.median(through)),
        "disk_read_mb_s": round(statistics.median(disk)),
        "download_ratio": round(statistics.median(through) / statistics.median(direct), 3),
        "download_rss_growth_mb": round(max(growth), 1),
    }
