"""The README's provider table and docs/models.md are the catalog's, not a hand-kept copy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_provider_table_and_the_models_page_come_from_the_catalog() -> None:
    done = subprocess.run(
        [sys.executable, "scripts/catalog_docs.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
