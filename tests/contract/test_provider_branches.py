"""No provider-specific branches outside that provider's module (the import rules between packages
are import-linter contracts in pyproject.toml, run by `make lint`)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_provider_names_appear_only_in_their_own_module() -> None:
    providers = {p.stem for p in (ROOT / "vidgate/providers").glob("*.py")} - {
        "__init__",
        "base",
        "checks",
        "registry",
    }
    for path in (ROOT / "vidgate").rglob("*.py"):
        if "providers" in path.parts:
            continue
        text = path.read_text()
        for name in providers:
            branch = rf'(==|!=)\s*"{name}"|"{name}"\s*(==|!=)|\bcase\s+"{name}"|\bin\s*\(?[^)\n]*"{name}"'
            assert not re.search(branch, text), f"{path.relative_to(ROOT)} branches on provider {name!r}"
