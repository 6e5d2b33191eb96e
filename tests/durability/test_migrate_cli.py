"""`vidgate migrate` applies the migrations on its own, on PostgreSQL and SQLite, and is idempotent."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.support.databases import migration_head

from .conftest import pg_rows


def migrate(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("VIDGATE_")}
    return subprocess.run(
        [sys.executable, "-m", "vidgate.cli", "migrate"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_migrate_on_postgresql(pg_url: str) -> None:
    for _ in range(2):
        result = migrate({"VIDGATE_DATABASE_URL": pg_url})
        assert result.returncode == 0, result.stderr
        assert "up to date" in result.stderr
    assert pg_rows(pg_url, "SELECT version_num FROM alembic_version") == [(migration_head(),)]
    tables = {r[0] for r in pg_rows(pg_url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
    assert {"jobs", "idempotency_keys", "alembic_version"} <= tables


def test_migrate_on_sqlite(tmp_path: Path) -> None:
    result = migrate({"VIDGATE_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "vidgate.db") as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchall() == [(migration_head(),)]


def test_a_bad_database_url_is_a_clear_error_not_a_traceback() -> None:
    result = migrate({"VIDGATE_DATABASE_URL": "nosuchdb://x"})
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and "database" in result.stderr.lower()
