"""What start-up must not pay for (bench/ measures the time and memory; these pin the causes)."""

from __future__ import annotations

import subprocess
import sys

from alembic.script import ScriptDirectory

from vidgate.store.engine import alembic_config, head_revision


def test_head_revision_from_file_names_is_alembics_head() -> None:
    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_serving_imports_no_renderer_alembic_asyncpg_or_tracing_sdk() -> None:
    """numpy/PyAV/Pillow load with the first local render, alembic only to migrate, asyncpg only
    for PostgreSQL, the OpenTelemetry SDK and exporter only when tracing is on, aiohttp with the
    first provider call (12 MB a gateway on the local provider alone never needs): a fresh process
    importing the app and the CLI must not load them."""
    code = (
        "import sys, vidgate.cli, vidgate.http, vidgate.gateway, vidgate.upstream.client\n"
        "print(','.join(m for m in ('numpy', 'av', 'PIL', 'alembic', 'asyncpg', 'opentelemetry.sdk', "
        "'opentelemetry.exporter', 'aiohttp') if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == ""
