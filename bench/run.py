"""vidgate benchmarks: ratios measured side by side in one run, medians of repeated rounds.

    python -m bench.run [PART ...] [--quick | --smoke] [--out PATH]

PARTs: overhead peer fanin download render footprint soak processes cpu (default: all). Writes
bench/results.json and prints a table against the targets; a run of some parts merges them into
the file's last results (each part keeps the time, mode and machine it was measured with), so the
committed file always holds one figure per metric and says where each came from. All traffic
stays on 127.0.0.1, bounded in count and time. --smoke runs every part for a second or two, to
keep them working (CI; it writes where --out says, never over the committed figures).
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from bench import cpu, download, fanin, footprint, overhead, peer, processes, render_rtf, soak
from bench.harness import ROOT

DEFAULT_OUT = ROOT / "bench" / "results.json"
PARTS = ("overhead", "peer", "fanin", "download", "render", "footprint", "soak", "processes", "cpu")

# (part, key, target text, check)
TARGETS: list[tuple[str, str, str, Callable[[float], bool]]] = [
    ("overhead", "overhead_p50_ms", "≤ 1 ms", lambda v: v <= 1),
    ("overhead", "overhead_p99_ms", "≤ 5 ms", lambda v: v <= 5),
    ("overhead", "rps_ratio_vs_bare", "≥ 0.5", lambda v: v >= 0.5),
    ("peer", "retrieve_ratio_vs_litellm", "≥ 25x (c1, c16, c64)", lambda v: v >= 25),
    ("peer", "create_c16_ratio_vs_litellm", "≥ 4x", lambda v: v >= 4),
    ("fanin", "upstream_polls_per_job_interval", "≤ 1", lambda v: v <= 1),
    ("fanin", "flat_out_upstream_polls_per_job_interval", "≥ 0.8, ≤ 1", lambda v: 0.8 <= v <= 1),
    ("fanin", "client_p99_ms", "(reported)", lambda v: True),
    ("download", "download_ratio", "≥ 0.8", lambda v: v >= 0.8),
    ("download", "download_rss_growth_mb", "< 30 MB", lambda v: v < 30),
    ("render", "render_rtf_720p", "≥ 5x real time", lambda v: v >= 5),
    ("render", "render_rtf_1080p", "(reported)", lambda v: True),
    ("footprint", "idle_rss_mb", "< 120 MB", lambda v: v < 120),
    ("footprint", "startup_s", "< 2 s", lambda v: v < 2),
    ("soak", "soak_errors", "0", lambda v: v == 0),
    ("soak", "p99_ms", "(reported)", lambda v: True),
    ("processes", "rps_ratio_two_vs_one", "≥ 1.6x", lambda v: v >= 1.6),
    ("cpu", "provider_call_cpu_ratio", "(aiohttp / httpcore)", lambda v: True),
    ("cpu", "lookup_cpu_ms", "(reported)", lambda v: True),
    ("cpu", "create_cpu_ms", "(reported)", lambda v: True),
]


def plan(mode: str) -> dict[str, Callable[[], dict[str, Any]]]:
    full, quick, smoke = mode == "full", mode == "quick", mode == "smoke"
    rounds = 3 if full else 1
    seconds = 3.0 if full else (2.0 if quick else 1.0)
    levels = (1, 16, 64) if full else ((1, 16) if quick else (1,))
    return {
        "overhead": lambda: overhead.run(rounds, seconds, levels),
        "peer": lambda: peer.run(rounds, seconds, levels),
        "fanin": lambda: fanin.run(30.0 if full else 5.0, *((500, 50) if not smoke else (50, 5))),
        "download": lambda: download.run(rounds, 1024 if full else (256 if quick else 16)),
        "render": lambda: render_rtf.run(rounds, render_rtf.CLIPS if not smoke else {"720p": (1, 1280, 720)}),
        "footprint": lambda: footprint.run(rounds),
        "soak": lambda: soak.run(60.0 if full else (10.0 if quick else 2.0)),
        "cpu": lambda: cpu.run(seconds, 2000 if full else 200),
        "processes": lambda: processes.run(
            # the rounds' own ratios spread 1.27-1.74 in one run on a noisy host: a median of 9
            9 if full else rounds,
            seconds,
            tuple(c for c in levels if c > 1) or (16,),
        ),
    }


def verdicts(results: dict[str, Any]) -> dict[str, str]:
    """`part.metric` -> "met" / "MISSED" for each measured metric with a target ("reported" without)."""
    found = {}
    for part, key, target, check in TARGETS:
        value = (results.get(part) or {}).get(key)
        if isinstance(value, int | float):
            found[f"{part}.{key}"] = (
                "reported" if target.startswith("(") else ("met" if check(value) else "MISSED")
            )
    return found


def table(results: dict[str, Any]) -> Table:
    out = Table(title=f"vidgate bench ({results['mode']}, {results['machine']['cpus']} CPUs)")
    for column in ("part", "metric", "value", "target", "verdict", "measured"):
        out.add_column(column, no_wrap=True)
    for part, key, target, _ in TARGETS:
        verdict = results["verdicts"].get(f"{part}.{key}")
        if verdict is not None:
            when = results.get("measured", {}).get(part, {}).get("started", "")
            shown = "" if verdict == "reported" else verdict
            out.add_row(part, key, f"{results[part][key]:g}", target, shown, when)
    return out


def machine() -> dict[str, Any]:
    """Enough to tell two machines apart when comparing figures."""
    model = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory_gib = 0.0
    with contextlib.suppress(OSError, ValueError, IndexError):
        memory_gib = round(int(Path("/proc/meminfo").read_text().split()[1]) / 2**20, 1)
    return {
        "cpus": os.cpu_count(),
        "cpu": model,
        "memory_gib": memory_gib,
        "os": platform.platform(),
        "python": platform.python_version(),
    }


def _earlier(out: Path, parts: list[str]) -> dict[str, Any]:
    """The file's last results, for a run of some parts to merge into (the others keep theirs)."""
    if set(parts) == set(PARTS) or not out.exists():
        return {}
    try:
        earlier = json.loads(out.read_text())
    except ValueError:
        return {}
    return earlier if isinstance(earlier, dict) else {}


def main(argv: list[str]) -> int:
    mode = "smoke" if "--smoke" in argv else "quick" if "--quick" in argv else "full"
    out = DEFAULT_OUT
    if "--out" in argv:
        at = argv.index("--out")
        out = Path(argv[at + 1])
        argv = argv[:at] + argv[at + 2 :]
    parts = [a for a in argv if not a.startswith("--")] or list(PARTS)
    unknown = set(parts) - set(PARTS)
    if unknown:
        raise SystemExit(f"unknown part(s): {', '.join(sorted(unknown))}; choose from {', '.join(PARTS)}")
    results = _earlier(out, parts)
    this_run = {
        "mode": mode,
        "machine": machine(),
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "parts": parts,
    }
    results |= {k: this_run[k] for k in ("mode", "machine", "started")}
    console = Console()
    if not console.is_terminal:  # logs and CI: wide enough that no row of the table wraps
        console = Console(width=160)
    steps = plan(mode)
    for part in parts:
        t0 = time.perf_counter()
        with console.status(f"{part}..."):
            results[part] = steps[part]()
        results.setdefault("part_seconds", {})[part] = round(time.perf_counter() - t0, 1)
        results.setdefault("measured", {})[part] = {k: this_run[k] for k in ("mode", "machine", "started")}
        console.print(f"[bold]{part}[/bold] done in {results['part_seconds'][part]} s")
    results["verdicts"] = verdicts(results)
    out.write_text(json.dumps(results, indent=2) + "\n")
    console.print(table(results))
    console.print(f"full results: {out}")
    if out == DEFAULT_OUT:  # the README's table follows the committed figures (a test holds them)
        subprocess.run([sys.executable, str(ROOT / "scripts" / "bench_table.py")], check=True)
        console.print("README.md's performance table rewritten from it")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
