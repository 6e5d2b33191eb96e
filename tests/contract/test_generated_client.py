"""generated/ is a golden record of the spec: regenerate it and compare, file by file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHES = {"__pycache__", ".ruff_cache"}


def tree(path: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(path)): p.read_bytes()
        for p in sorted(path.rglob("*"))
        if p.is_file() and not CACHES & set(p.parts) and ".egg-info" not in str(p)
    }


def test_bundle_has_no_external_refs(tmp_path: Path) -> None:
    out = tmp_path / "bundle.yaml"
    subprocess.run(
        [sys.executable, "scripts/bundle_spec.py", "spec/openapi.yaml", str(out)], cwd=ROOT, check=True
    )
    text = out.read_text()
    assert ".yaml#" not in text
    assert "#/components/schemas/VideoGenerationRequest" in text


def test_generated_client_matches_the_spec(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle.yaml"
    subprocess.run(
        [sys.executable, "scripts/bundle_spec.py", "spec/openapi.yaml", str(bundle)], cwd=ROOT, check=True
    )
    out = tmp_path / "generated"
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    subprocess.run(
        [
            str(bin_dir / "openapi-python-client"),
            "generate",
            "--path",
            str(bundle),
            "--output-path",
            str(out),
            "--meta",
            "setup",
            "--config",
            "scripts/openapi-python-client.yaml",
            "--fail-on-warning",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh, committed = tree(out), tree(ROOT / "generated")
    stale = sorted(name for name in fresh.keys() | committed.keys() if fresh.get(name) != committed.get(name))
    assert not stale, f"generated/ is stale, run `make generate` and commit: {stale}"
