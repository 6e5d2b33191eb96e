"""The installed wheel, built once per session for the packaging tests; the loopback S3 and the
throwaway PostgreSQL databases of the durability tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.durability.conftest import pg_url, s3
from tests.support.wheel import install_wheel

__all__ = ["pg_url", "s3", "wheel_venv"]


@pytest.fixture(scope="session")
def wheel_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install_wheel(tmp_path_factory.mktemp("wheel"))
