from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from vidgate.config import Settings
from vidgate.service import Authenticator, ensure_dev_key


def auth(ring: Authenticator, key: str | None):
    return asyncio.run(ring.authenticate(key))


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(__import__("os").environ):
        if name.startswith("VIDGATE_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def test_env_keys_are_comma_separated_and_each_its_own_tenant(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VIDGATE_API_KEYS", "alpha-key, beta-key,,")
    ring = Authenticator.from_settings(Settings())
    a, b = auth(ring, "alpha-key"), auth(ring, "beta-key")
    assert a and b and a.tenant != b.tenant
    assert auth(ring, "alpha-key ") is None and auth(ring, "") is None
    assert auth(ring, None) is None
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
    ring = Authenticator.from_settings(settings)
    assert auth(ring, "k1").tenant == auth(ring, "k2").tenant == "acme"


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


def test_stored_keys_are_hashed_at_rest_and_revocation_takes_effect(tmp_path: Path) -> None:
    import sqlite3

    from vidgate.store import ApiKeyStore, migrate, open_engine

    async def scenario() -> None:
        engine = open_engine(f"sqlite+aiosqlite:///{tmp_path / 'keys.db'}")
        await migrate(engine)
        keys = ApiKeyStore(engine)
        plain, stored = await keys.create("acme", "ci", requests_per_minute=30, max_active_jobs=2)
        ring = Authenticator({}, keys)
        principal = await ring.authenticate(plain)
        assert principal and principal.tenant == "acme" and principal.key_id == stored.id
        assert (principal.requests_per_minute, principal.max_active_jobs) == (30, 2)
        with sqlite3.connect(tmp_path / "keys.db") as db:
            dump = "\n".join(db.iterdump())
        assert plain not in dump and plain[3:] not in dump  # only the digest is stored
        assert await keys.revoke(stored.id) and not await keys.revoke(stored.id)
        time.sleep(Authenticator.CACHE_SECONDS + 0.1)
        assert await ring.authenticate(plain) is None
        await engine.dispose()

    asyncio.run(scenario())
