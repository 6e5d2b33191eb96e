"""The built wheel installed into a fresh virtualenv, as the Dockerfile installs it: binary wheels
only, nothing of the source tree on the path."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None, timeout: float = 600) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, (
        f"{args}: exit {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    )
    return done.stdout


def install_wheel(workdir: Path) -> Path:
    """Builds the wheel from the tree and installs it into `workdir/venv`; returns the venv."""
    dist, venv = workdir / "dist", workdir / "venv"
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", dist, ROOT, cwd=workdir)
    wheel = next(dist.glob("vidgate-*.whl"))
    run(sys.executable, "-m", "venv", venv, cwd=workdir)
    run(venv / "bin" / "pip", "install", "--quiet", "--only-binary=:all:", wheel, cwd=workdir)
    return venv


def outside_env() -> dict[str, str]:
    """This environment less vidgate's settings and whatever points Python at the tree's venv."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("VIDGATE_", "PYTHON", "VIRTUAL_ENV"))}
