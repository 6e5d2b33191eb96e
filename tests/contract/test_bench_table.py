"""The README's performance table is bench/results.json's, figure for figure."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_table_is_the_committed_bench_results() -> None:
    check = subprocess.run(
        [sys.executable, "scripts/bench_table.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
