"""The README's performance table, written from bench/results.json, so every figure quoted there
is one a run measured and committed (with its machine and time in the file).

python scripts/bench_table.py          # rewrite the table
python scripts/bench_table.py --check  # exit 1 if the README does not match the file (tests run this)
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
RESULTS = ROOT / "bench" / "results.json"
START, END = "<!-- bench:table:start -->", "<!-- bench:table:end -->"
LEVELS = ("c1", "c16", "c64")

Row = tuple[str, str, Callable[[dict[str, Any]], str], str]


_PARTS_OF_A_LOOKUP = ("gateway", "postgres", "wrk")


def _x(value: float) -> str:
    return f"{value:.1f}x" if value >= 10 else f"{value:.2f}x"


def _levels(part: dict[str, Any], key: str) -> str:
    return " / ".join(_x(part[level][key]) if level in part else "-" for level in LEVELS)


ROWS: list[Row] = [
    (
        "overhead",
        "GET a job, 1 client: added p50 / p99 vs asking the fake upstream directly",
        lambda r: f"{r['overhead_p50_ms']:+.2f} ms / {r['overhead_p99_ms']:+.2f} ms",
        "≤ 1 / ≤ 5 ms",
    ),
    (
        "overhead",
        "GET a job, req/s vs a bare Starlette route (1 / 16 / 64 clients)",
        lambda r: " / ".join(f"{r['rps_ratio_vs_bare_at'].get(c, 0):.2f}" for c in LEVELS),
        "≥ 0.5",
    ),
    (
        "overhead",
        "create (validated, stored, submitted upstream): p50 and req/s at 1 / 16 clients",
        lambda r: " / ".join(
            f"{r['create'][c]['vidgate_p50_ms']:.1f} ms, {r['create'][c]['vidgate_rps']:,} req/s"
            for c in ("c1", "c16")
            if c in r["create"]
        ),
        "",
    ),
    (
        "peer",
        "GET a job, req/s vs the LiteLLM proxy (1 / 16 / 64 clients)",
        lambda r: _levels(
            {k[9:]: v for k, v in r.items() if k.startswith("retrieve_")}, "rps_ratio_vs_litellm"
        ),
        "≥ 25x",
    ),
    (
        "peer",
        "create, req/s vs LiteLLM (1 / 16 / 64 clients)",
        lambda r: _levels(
            {k[7:]: v for k, v in r.items() if k.startswith("create_c")}, "rps_ratio_vs_litellm"
        ),
        "≥ 4x at 16",
    ),
    (
        "processes",
        "GET a job, `--workers 2` vs `--workers 1` on PostgreSQL, req/s (16 / 64 clients)",
        lambda r: " / ".join(_x(r[c]["rps_ratio_two_vs_one"]) for c in ("c16", "c64") if c in r),
        "≥ 1.6x",
    ),
    (
        "processes",
        "cores busy at 16 clients, 1 → 2 processes: gateway / PostgreSQL / wrk / whole machine",
        lambda r: (
            " → ".join(
                " / ".join(f"{r['c16'][side][k]:.2f}" for k in ("gateway", "postgres", "wrk", "machine"))
                for side in ("cores_one", "cores_two")
            )
            if "cores_one" in r.get("c16", {})
            else ""
        ),
        "",
    ),
    (
        "processes",
        "CPU per lookup at 16 clients, 1 → 2 processes: gateway / PostgreSQL / wrk",
        lambda r: (
            " → ".join(
                " / ".join(f"{r['c16'][side]['ms_per_lookup'][k]:.3f}" for k in _PARTS_OF_A_LOOKUP)
                for side in ("cores_one", "cores_two")
            )
            + " ms"
        ),
        "",
    ),
    (
        "fanin",
        "500 clients polling 50 jobs (each every ~2 s): upstream polls per job per 1 s interval",
        lambda r: (
            f"{r['upstream_polls_per_job_interval']:.2f} (max {r['upstream_polls_max_job_per_interval']:.2f})"
        ),
        "≤ 1",
    ),
    (
        "fanin",
        "the same 500 clients flat out (no pause): upstream polls per job per interval",
        lambda r: (
            f"{r['flat_out_upstream_polls_per_job_interval']:.2f} at {r['flat_out_client_rps']:,} req/s"
        ),
        "≥ 0.8, ≤ 1",
    ),
    (
        "fanin",
        "paced clients: p50 / p99",
        lambda r: f"{r['client_p50_ms']:.1f} ms / {r['client_p99_ms']:.0f} ms",
        "",
    ),
    (
        "download",
        "1 GiB through the gateway vs a bare FileResponse",
        lambda r: f"{r['vidgate_mb_s']:,.0f} vs {r['direct_mb_s']:,.0f} MB/s ({r['download_ratio']:.2f})",
        "≥ 0.8",
    ),
    (
        "download",
        "gateway RSS growth during the transfer",
        lambda r: f"{r['download_rss_growth_mb']:.1f} MB",
        "< 30 MB",
    ),
    (
        "cpu",
        "CPU per request in the gateway process: `/health` / lookup / create",
        lambda r: " / ".join(f"{r[op]['cpu_ms']:.2f}" for op in ("health", "lookup", "create")) + " ms",
        "",
    ),
    (
        "cpu",
        "CPU per provider call: the aiohttp wire vs httpx's own (httpcore)",
        lambda r: (
            f"{r['provider_call_cpu_ms']['aiohttp']:.2f} vs {r['provider_call_cpu_ms']['httpcore']:.2f} ms"
            f" ({r['provider_call_cpu_ratio']:.2f})"
        ),
        "",
    ),
    ("render", "local render, 4 s at 1280x720: real-time factor", lambda r: _x(r["render_rtf_720p"]), "≥ 5x"),
    ("render", "local render, 8 s at 1920x1080", lambda r: _x(r["render_rtf_1080p"]), ""),
    ("footprint", "start-up to the first 200 on `/health`", lambda r: f"{r['startup_s']:.2f} s", "< 2 s"),
    ("footprint", "idle RSS after start", lambda r: f"{r['idle_rss_mb']:.0f} MB", "< 120 MB"),
    (
        "soak",
        "60 s of mixed traffic with real renders: errors, p99",
        lambda r: f"{r['soak_errors']}, {r['p99_ms']:.0f} ms",
        "0 errors",
    ),
]


def _cell(results: dict[str, Any], part: str, value: Callable[[dict[str, Any]], str]) -> str:
    found = results.get(part)
    if not isinstance(found, dict) or "skipped" in found:
        return "not measured"
    try:
        return value(found)
    except (KeyError, TypeError):
        return "not measured"


def render(results: dict[str, Any]) -> str:
    machine = results.get("machine", {})
    lines = [
        START,
        f"Measured on {machine.get('cpus', '?')} CPUs ({machine.get('cpu', 'unknown CPU')}, "
        f"{machine.get('memory_gib', '?')} GiB), Python {machine.get('python', '?')}; "
        "each part's run time is in `bench/results.json` (`measured`).",
        "",
        "| Part | What | Measured | Target |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {part} | {what} | {_cell(results, part, value)} | {target} |"
        for part, what, value, target in ROWS
    ]
    return "\n".join([*lines, END])


def updated(readme: str, results: dict[str, Any]) -> str:
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    return head + render(results) + tail


def main(argv: list[str]) -> int:
    readme = README.read_text()
    fresh = updated(readme, json.loads(RESULTS.read_text()))
    if "--check" in argv:
        if fresh != readme:
            print("README's performance table differs from bench/results.json: run scripts/bench_table.py")
            return 1
        return 0
    README.write_text(fresh)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
