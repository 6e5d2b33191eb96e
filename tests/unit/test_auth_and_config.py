from __future__ import annotations

from pathlib import Path

import pytest

from vidgate.auth import KeyRing, ensure_dev_key
from vidgate.config import Settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(__import__("os").environ):
        if name.startswith("VIDGATE_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def test_env_keys_are_comma_separated_and_each_its_own_tenant(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VIDGATE_API_KEYS", "alpha-key, beta-key,,")
    ring = KeyRing.from_settings(Settings())
    a, b = ring.authenticate("alpha-key"), ring.authenticate("beta-key")
    assert a and b and a.tenant != b.tenant
    assert ring.authenticate("alpha-key ") is None and ring.authenticate("") is None
    assert ring.authenticate(None) is None
    assert "alpha" not in a.key_id  # the fingerprint is safe to log


def test_yaml_file_names_tenants_and_env_nests_with_double_underscore(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "conf.yaml"
    config.write_text("tenants:\n  acme: [k1, k2]\nrender:\n  concurrency: 3\nmax_body_bytes: 4096\n")
    monkeypatch.setenv("VIDGATE_CONFIG", str(config))
    monkeypatch.setenv("VIDGATE_RENDER__FPS", "30")
    settings = Settings()
    assert settings.render.concurrency == 3 and settings.render.fps == 30
    assert settings.max_body_bytes == 4096
    ring = KeyRing.from_settings(settings)
    assert ring.authenticate("k1").tenant == ring.authenticate("k2").tenant == "acme"


def test_toml_file_is_read_too(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "vidgate.toml"
    config.write_text('api_keys = ["t1"]\ndatabase_url = "sqlite+aiosqlite:///x.db"\n')
    monkeypatch.setenv("VIDGATE_CONFIG", str(config))
    settings = Settings()
    assert settings.api_keys == ["t1"] and settings.resolved_database_url == "sqlite+aiosqlite:///x.db"


def test_missing_config_file_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VIDGATE_CONFIG", "/nonexistent/vidgate.yaml")
    with pytest.raises(FileNotFoundError, match="VIDGATE_CONFIG"):
        Settings()


def test_default_database_is_sqlite_in_the_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("VIDGATE_DATA_DIR", str(tmp_path / "d"))
    assert Settings().resolved_database_url == f"sqlite+aiosqlite:///{tmp_path / 'd' / 'vidgate.db'}"


def test_dev_key_is_made_once_and_reused(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    first = ensure_dev_key(settings)
    assert first and first.startswith("vg-dev-")
    assert ensure_dev_key(settings) == first
    assert (tmp_path / "dev-api-key").stat().st_mode & 0o077 == 0
    assert ensure_dev_key(Settings(data_dir=tmp_path, api_keys=["mine"])) is None
