"""9. CPU per request: what one request costs the gateway process (user + system time over the
requests wrk completed), and what one provider call costs on each HTTP wire, side by side.

Rates depend on the machine's other load; CPU per request much less so, which makes this the
figure to compare across commits: `ROOT=<other checkout> python -m bench.cpu` from that checkout
runs the same probe against its code.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from pathlib import Path

import httpx

from bench.harness import AUTH, fake_upstream, vidgate, wrk
from bench.overhead import CREATE, QUIET

CLOCK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """The process's CPU time, with its children (the processes of `--workers N`, if any)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    total = 0
    for each in [pid, *map(int, children)]:
        fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / CLOCK


def named_cpu_seconds(name: str) -> dict[int, float]:
    """CPU time of every process on the machine whose command is `name` (postgres, say), by pid:
    a process that ends between two readings must not count as negative time."""
    found: dict[int, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            head, tail = stat.read_text().rsplit(")", 1)
        except OSError:  # gone meanwhile
            continue
        if head.split("(", 1)[1] == name:
            fields = tail.split()
            found[int(stat.parent.name)] = (int(fields[11]) + int(fields[12])) / CLOCK
    return found


def grown(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds the processes used between two readings (those that began meanwhile: all theirs)."""
    return sum(spent - before.get(pid, 0.0) for pid, spent in after.items())


def _machine_ticks() -> list[int]:
    """/proc/stat's first line, all cores: user, nice, system, idle, iowait, irq, softirq, steal."""
    return [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]


def machine_busy_seconds() -> float:
    """CPU time the machine's cores spent on anything but idling, since boot."""
    ticks = _machine_ticks()
    return (sum(ticks[:7]) - ticks[3] - ticks[4]) / CLOCK


def machine_steal_seconds() -> float:
    """CPU time the hypervisor gave to other guests while this one had work for it, since boot:
    a run that lost some ran on less than the machine's cores."""
    return _machine_ticks()[7] / CLOCK


def _per_request(pid: int, seconds: float, **target: object) -> dict[str, float]:
    before = cpu_seconds(pid)
    result = wrk(connections=16, seconds=seconds, **target)  # type: ignore[arg-type]
    used = cpu_seconds(pid) - before
    return {"cpu_ms": round(used / result.requests * 1000, 3), "rps": round(result.rps)}


async def _calls(url: str, transport: httpx.AsyncBaseTransport | None, calls: int) -> float:
    """CPU ms of this process per GET through httpx with `transport` (None: httpcore)."""
    async with httpx.AsyncClient(transport=transport) as client:
        for _ in range(50):  # warm: connections pooled, code paths hot
            await client.get(url)
        started = time.process_time()
        for _ in range(calls):
            (await client.get(url)).raise_for_status()
        return (time.process_time() - started) / calls * 1000


def run(seconds: float, calls: int) -> dict[str, object]:
    from vidgate.upstream.aio_transport import AiohttpTransport

    out: dict[str, object] = {}
    with fake_upstream(complete_after="3600") as upstream:
        stats = f"{upstream.url}/_stats"
        httpcore_ms = asyncio.run(_calls(stats, None, calls))
        aiohttp_ms = asyncio.run(_calls(stats, AiohttpTransport(max_connections=4), calls))
        out["provider_call_cpu_ms"] = {"httpcore": round(httpcore_ms, 3), "aiohttp": round(aiohttp_ms, 3)}
        out["provider_call_cpu_ratio"] = round(aiohttp_ms / httpcore_ms, 3)
        with vidgate(upstream, **QUIET) as gateway:
            pid = gateway.proc.pid
            body = {**CREATE, "model": "openai/sora-2", "seconds": 4}
            job = httpx.post(f"{gateway.url}/v1/videos", headers=AUTH, json=body).json()["id"]
            out["health"] = _per_request(pid, seconds, url=f"{gateway.url}/health")
            out["lookup"] = _per_request(pid, seconds, url=f"{gateway.url}/v1/videos/{job}", headers=AUTH)
            out["create"] = _per_request(
                pid,
                seconds,
                url=f"{gateway.url}/v1/videos",
                method="POST",
                headers={**AUTH, "Content-Type": "application/json"},
                body=json.dumps(body),
            )
    out["lookup_cpu_ms"] = out["lookup"]["cpu_ms"]  # type: ignore[index]
    out["create_cpu_ms"] = out["create"]["cpu_ms"]  # type: ignore[index]
    return out


if __name__ == "__main__":
    print(json.dumps(run(5.0, 2000), indent=2))
