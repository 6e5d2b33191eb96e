"""Runs last: every log line of every gateway this test run started, searched for every secret
that gateway was given (API keys, provider credentials, S3 and webhook secrets)."""

from __future__ import annotations

import pytest

from tests.support.server import ALL_SERVERS


def test_no_secret_reaches_any_log() -> None:
    started = [s for s in ALL_SERVERS if s.log_path.exists()]
    if not started:
        pytest.skip("no gateway ran in this session")
    leaks, secrets, scanned = [], 0, 0
    for server in started:
        log = server.log()
        scanned += len(log)
        for secret in server.secrets():
            secrets += 1
            if secret in log:
                leaks.append((server.log_path.name, secret[:6] + "..."))
    print(
        f"\nlog audit: {len(started)} gateway processes, {secrets} secrets, {scanned} bytes of logs, "
        f"{len(leaks)} leaks"
    )
    assert not leaks, leaks
