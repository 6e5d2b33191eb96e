"""The installed wheel, built once per session for the packaging tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.wheel import install_wheel


@pytest.fixture(scope="session")
def wheel_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install_wheel(tmp_path_factory.mktemp("wheel"))
