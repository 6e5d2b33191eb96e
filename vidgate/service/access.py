"""Who is calling: an API key becomes a Caller (its tenant and limits). Configured keys are held only
as SHA-256 digests; stored keys are looked up by digest."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from ..config import Settings
from ..domain import Caller, key_digest, key_fingerprint
from ..store import ApiKeyStore

DEV_KEY_FILE = "dev-api-key"
DEV_ADMIN_KEY_FILE = "dev-admin-key"


class Authenticator:
    """Keys from config and keys from the store, checked in that order.

    Stored keys are looked up by digest and cached for a second, so a revocation takes effect
    within a second on every instance without a database round trip per request.
    """

    CACHE_SECONDS = 1.0

    def __init__(self, keys: dict[str, str], stored: ApiKeyStore | None = None) -> None:
        """keys: plain key -> tenant; only digests are kept."""
        self._by_digest = {key_digest(k): tenant for k, tenant in keys.items()}
        self._stored = stored
        self._cache: dict[bytes, tuple[float, Caller | None]] = {}

    @classmethod
    def from_settings(cls, settings: Settings, stored: ApiKeyStore | None = None) -> Authenticator:
        keys: dict[str, str] = {}
        for key in settings.api_keys:
            keys[key] = "tenant_" + key_digest(key).hex()[:12]
        for tenant, tenant_keys in settings.tenants.items():
            for key in tenant_keys:
                keys[key] = tenant
        return cls(keys, stored)

    def __len__(self) -> int:
        return len(self._by_digest)

    def _configured(self, wanted: bytes) -> Caller | None:
        # Compared as SHA-256 digests in a hash table: what the lookup's timing could reveal is
        # bits of the digest of the caller's own guess, never anything about a stored key.
        tenant = self._by_digest.get(wanted)
        return None if tenant is None else Caller(tenant=tenant, key_id=key_fingerprint(wanted))

    async def authenticate(self, presented: str | None) -> Caller | None:
        if not presented or len(presented) > 512:
            return None
        wanted = key_digest(presented)
        found = self._configured(wanted)
        if found is not None or self._stored is None:
            return found
        cached = self._cache.get(wanted)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        stored = await self._stored.find(wanted.hex())
        caller = None
        if stored is not None and stored.revoked_at is None:
            caller = Caller(
                stored.tenant, stored.id, stored.requests_per_minute, stored.max_active_jobs, stored.budget
            )
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[wanted] = (time.monotonic() + self.CACHE_SECONDS, caller)
        return caller


def _dev_file(settings: Settings, name: str, prefix: str) -> str:
    path = Path(settings.data_dir) / name
    if path.is_file():
        key = path.read_text().strip()
        if key:
            return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = prefix + secrets.token_urlsafe(24)
    path.write_text(key + "\n")
    path.chmod(0o600)
    return key


def ensure_dev_key(settings: Settings) -> str | None:
    """With no key configured, make (once) and reuse a development key kept in the data dir."""
    if settings.api_keys or settings.tenants:
        return None
    return _dev_file(settings, DEV_KEY_FILE, "vg-dev-")


def ensure_dev_admin_key(settings: Settings) -> str | None:
    """With no key of either kind configured (a development gateway), a development admin key too,
    so that `vidgate keys` works out of the box. A gateway with real API keys and no admin key has
    its admin API closed."""
    if settings.admin_keys or settings.api_keys or settings.tenants:
        return None
    return _dev_file(settings, DEV_ADMIN_KEY_FILE, "vg-admin-dev-")


class AdminKeys:
    """The operator's admin keys, held as digests."""

    def __init__(self, keys: list[str]) -> None:
        self._digests = frozenset(key_digest(k) for k in keys)

    def __bool__(self) -> bool:
        return bool(self._digests)

    def check(self, presented: str | None) -> bool:
        return (
            bool(presented) and len(presented or "") <= 512 and key_digest(presented or "") in self._digests
        )
