"""8. Processes: the same lookups against `vidgate serve --workers 1` and `--workers 2`, side by
side, both on one PostgreSQL database (several processes need it; SQLite serves one).

Each process is a whole gateway (HTTP, and the job worker on its own thread), listening on a
socket of its own on the one port (SO_REUSEPORT), so the kernel spreads connections over them.
On 2 cores the second process should come close to doubling what one serves; wrk runs on the same
cores and takes its share, so the ceiling here is below 2.
"""

from __future__ import annotations

import contextlib
import resource
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from bench.cpu import cpu_seconds, grown, machine_busy_seconds, machine_steal_seconds, named_cpu_seconds
from bench.harness import AUTH, KEY, ServerProcess, WrkResult, median_result, wrk
from tests.support.databases import postgres_database

BODY = {"model": "local/testcard", "prompt": "processes", "seconds": 1, "size": "64x64"}


@contextlib.contextmanager
def _gateway(database_url: str, processes: int) -> Iterator[ServerProcess]:
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "VIDGATE_API_KEYS": KEY,
            "VIDGATE_VALIDATE_RESPONSES": "false",
            "VIDGATE_DATABASE_URL": database_url,
        }
        server = ServerProcess(Path(tmp), env=env, args=("--workers", str(processes)))
        server.start(timeout=90)
        try:
            deadline = time.monotonic() + 60  # /health answers from the first process: wait for all
            while len(server.worker_owners()) < processes:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{processes} processes did not all start:\n{server.log()[-3000:]}")
                time.sleep(0.2)
            yield server
        finally:
            server.stop()


def _wrk_seconds() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def cores_used(server: ServerProcess, url: str, connections: int, seconds: float) -> dict[str, object]:
    """Where the machine's cores went during one wrk run: the gateway's processes, PostgreSQL's,
    wrk's, and all of it (with what else runs), and each one's CPU per lookup in that run. When
    they add up to the cores there are, a second gateway process can only take CPU from the others."""
    gateway, postgres = cpu_seconds(server.proc.pid), named_cpu_seconds("postgres")
    wrk_spent, busy = _wrk_seconds(), machine_busy_seconds()
    started = time.monotonic()
    served = wrk(url, connections=connections, seconds=seconds, headers=AUTH).requests
    elapsed = time.monotonic() - started
    used = {
        "gateway": cpu_seconds(server.proc.pid) - gateway,
        "postgres": grown(postgres, named_cpu_seconds("postgres")),
        "wrk": _wrk_seconds() - wrk_spent,
        "machine": machine_busy_seconds() - busy,
    }
    cores = {k: round(v / elapsed, 2) for k, v in used.items()}
    per_lookup = {k: round(v * 1000 / max(served, 1), 3) for k, v in used.items() if k != "machine"}
    return cores | {"ms_per_lookup": per_lookup}  # type: ignore[dict-item]


def round_order(rounds: int) -> list[tuple[str, str]]:
    """One process first, then two, then the other way round: a host that speeds up or slows
    down during a round favours neither side over the run."""
    return [("one", "two") if i % 2 == 0 else ("two", "one") for i in range(rounds)]


def _paired(targets: dict[str, dict], concurrency: int, rounds: int, seconds: float) -> dict[str, object]:
    """One process and two, back to back, round after round; the ratio is the median of each
    round's own. This host's speed drifts (one process served 2,037-2,873 lookups/s in 2 s runs a
    few seconds apart; 2,337-4,161 on the AMD host of 2026-11-30 afternoon), and a pair run back
    to back shares its drift, where medians taken apart do not."""
    runs: dict[str, list[WrkResult]] = {"one": [], "two": []}
    stolen: dict[str, list[float]] = {"one": [], "two": []}
    for order in round_order(rounds):
        for name in order:
            steal, started = machine_steal_seconds(), time.monotonic()
            result = wrk(connections=concurrency, seconds=seconds, **targets[name])
            if result.errors:
                raise RuntimeError(f"{name}: {result.errors} failed requests at c{concurrency}")
            runs[name].append(result)
            stolen[name].append((machine_steal_seconds() - steal) / (time.monotonic() - started))
    one, two = median_result(runs["one"]), median_result(runs["two"])
    ratios = [b.rps / a.rps for a, b in zip(runs["one"], runs["two"], strict=True)]
    return {
        "rps_ratio_two_vs_one": round(statistics.median(ratios), 3),
        "round_ratios": [round(r, 3) for r in ratios],
        # Cores the hypervisor took from this guest during each round's runs (one, two): a round
        # above 2.0 cannot be the processes' own doing; its one-process run lost CPU to the host.
        "round_steal_cores": [
            [round(a, 2), round(b, 2)] for a, b in zip(stolen["one"], stolen["two"], strict=True)
        ],
        "one_rps": round(one.rps),
        "two_rps": round(two.rps),
        "one_p50_ms": round(one.p50_ms, 2),
        "two_p50_ms": round(two.p50_ms, 2),
    }


def run(rounds: int, seconds: float, concurrencies: tuple[int, ...]) -> dict[str, object]:
    out: dict[str, object] = {"store": "postgresql", "operation": "retrieve (GET /v1/videos/{id})"}
    with postgres_database() as url, _gateway(url, 1) as one, _gateway(url, 2) as two:
        video = httpx.post(f"{one.url}/v1/videos", headers=AUTH, json=BODY, timeout=30).json()["id"]
        targets = {
            "one": {"url": f"{one.url}/v1/videos/{video}", "headers": AUTH},
            "two": {"url": f"{two.url}/v1/videos/{video}", "headers": AUTH},
        }
        for target in targets.values():  # warm: pools filled, statements prepared, pages in memory
            wrk(connections=max(concurrencies), seconds=1, **target)
        for concurrency in concurrencies:
            if concurrency < 2:
                continue  # one connection keeps one process busy: nothing to spread
            out[f"c{concurrency}"] = _paired(targets, concurrency, rounds, seconds) | {
                "cores_one": cores_used(one, targets["one"]["url"], concurrency, seconds),
                "cores_two": cores_used(two, targets["two"]["url"], concurrency, seconds),
            }
    measured = [v["rps_ratio_two_vs_one"] for k, v in out.items() if k.startswith("c")]  # type: ignore[index]
    out["rps_ratio_two_vs_one"] = min(measured) if measured else None
    return out
