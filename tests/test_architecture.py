"""Boundaries: the core knows nothing of Connexion or the generated client; handlers stay thin."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HTTP_LAYER = {
    "vidgate/app.py",
    "vidgate/guard.py",
    "vidgate/http_assets.py",
    "vidgate/connexion_tuning.py",
}  # where Connexion/Starlette are wired in


def imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_core_is_free_of_connexion_and_the_generated_client() -> None:
    for path in (ROOT / "vidgate").rglob("*.py"):
        rel = str(path.relative_to(ROOT))
        if rel in HTTP_LAYER or rel.startswith("vidgate/cli"):  # the edges: HTTP and the command line
            continue
        found = imports(path) & {"connexion", "vidgate_client", "handlers", "starlette"}
        assert not found, f"{rel} imports {found}"


def test_handlers_hold_no_sql_http_clients_or_provider_code() -> None:
    for path in (ROOT / "handlers").glob("*.py"):
        found = imports(path) & {"sqlalchemy", "httpx", "av", "alembic"}
        assert not found, f"{path.name} imports {found}"
        assert "vidgate.providers" not in path.read_text()


def test_provider_names_appear_only_in_their_own_module() -> None:
    providers = {p.stem for p in (ROOT / "vidgate/providers").glob("*.py")} - {"__init__", "base"}
    for path in (ROOT / "vidgate").rglob("*.py"):
        if "providers" in path.parts:
            continue
        text = path.read_text()
        for name in providers:
            branch = rf'(==|!=)\s*"{name}"|"{name}"\s*(==|!=)|\bcase\s+"{name}"|\bin\s*\(?[^)\n]*"{name}"'
            assert not re.search(branch, text), f"{path.relative_to(ROOT)} branches on provider {name!r}"
