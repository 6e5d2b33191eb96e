"""schemathesis fuzzes the live server against the spec: every phase, every check, two tenants."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.server import ServerProcess

ROOT = Path(__file__).resolve().parents[2]
MAX_EXAMPLES = 100


@pytest.mark.slow
def test_schemathesis_all_phases_all_checks(tmp_path: Path) -> None:
    server = ServerProcess(
        tmp_path / "data",
        env={
            "VIDGATE_API_KEYS": "st-alice-key,st-bob-key",
            "VIDGATE_ADMIN_KEYS": "st-admin-key",
            "VIDGATE_RENDER__CONCURRENCY": "1",
        },
    ).start()
    # Two identities (Web Fuzzing Commons auth file): object_level_authorization replays one
    # tenant's reads as the other; they use different schemes on purpose. Both are operators too
    # (the admin API takes only x-admin-key; the other operations ignore it).
    auth = tmp_path / "auth.json"
    auth.write_text(
        json.dumps(
            {
                "auth": [
                    {
                        "name": "alice",
                        "fixedHeaders": [
                            {"name": "Authorization", "value": "Bearer st-alice-key"},
                            {"name": "x-admin-key", "value": "st-admin-key"},
                        ],
                    },
                    {
                        "name": "bob",
                        "fixedHeaders": [
                            {"name": "x-api-key", "value": "st-bob-key"},
                            {"name": "x-admin-key", "value": "st-admin-key"},
                        ],
                    },
                ]
            }
        )
    )
    st = Path(sys.executable).parent / "st"
    try:
        result = subprocess.run(
            [
                str(st),
                "--config-file",
                "tests/contract/schemathesis.toml",
                "run",
                "spec/openapi.yaml",
                "--url",
                server.url,
                "--auth-wfc",
                str(auth),
                "--checks",
                "all",
                "--phases",
                "examples,coverage,fuzzing,stateful",
                "--max-examples",
                str(MAX_EXAMPLES),
                "--seed",
                "20261125",
                "--workers",
                "2",
                "--generation-database",
                "none",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
    finally:
        server.stop()
    summary = result.stdout[result.stdout.find("SUMMARY") :]
    print(summary)  # the figures: cases generated, passed, per phase
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-5000:] + server.log()[-5000:]
    assert "Traceback" not in server.log()
