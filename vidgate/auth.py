"""API keys → tenants. Keys are held only as SHA-256 digests and compared in constant time."""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from .config import Settings
from .store.keys import ApiKeys

DEV_KEY_FILE = "dev-api-key"


@dataclass(frozen=True)
class Principal:
    tenant: str
    key_id: str  # a short, non-secret id of the key, safe to log
    requests_per_minute: int | None = None
    max_active_jobs: int | None = None


def digest(key: str) -> bytes:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).digest()


def fingerprint(key_digest: bytes) -> str:
    return "key_" + key_digest.hex()[:12]


class KeyRing:
    """Keys from config and keys from the store, checked in that order.

    Stored keys are looked up by digest and cached for a second, so a revocation takes effect
    within a second on every instance without a database round trip per request.
    """

    CACHE_SECONDS = 1.0

    def __init__(self, keys: dict[str, str], stored: ApiKeys | None = None) -> None:
        """keys: plain key -> tenant; only digests are kept."""
        self._by_digest = {digest(k): tenant for k, tenant in keys.items()}
        self._stored = stored
        self._cache: dict[bytes, tuple[float, Principal | None]] = {}

    @classmethod
    def from_settings(cls, settings: Settings, stored: ApiKeys | None = None) -> KeyRing:
        keys: dict[str, str] = {}
        for key in settings.api_keys:
            keys[key] = "tenant_" + digest(key).hex()[:12]
        for tenant, tenant_keys in settings.tenants.items():
            for key in tenant_keys:
                keys[key] = tenant
        return cls(keys, stored)

    def __len__(self) -> int:
        return len(self._by_digest)

    def _configured(self, wanted: bytes) -> Principal | None:
        # Compared as SHA-256 digests in a hash table: what the lookup's timing could reveal is
        # bits of the digest of the caller's own guess, never anything about a stored key.
        tenant = self._by_digest.get(wanted)
        return None if tenant is None else Principal(tenant=tenant, key_id=fingerprint(wanted))

    async def authenticate(self, presented: str | None) -> Principal | None:
        if not presented or len(presented) > 512:
            return None
        wanted = digest(presented)
        found = self._configured(wanted)
        if found is not None or self._stored is None:
            return found
        cached = self._cache.get(wanted)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        stored = await self._stored.find(wanted.hex())
        principal = None
        if stored is not None and stored.revoked_at is None:
            principal = Principal(
                stored.tenant, stored.id, stored.requests_per_minute, stored.max_active_jobs
            )
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[wanted] = (time.monotonic() + self.CACHE_SECONDS, principal)
        return principal


def ensure_dev_key(settings: Settings) -> str | None:
    """With no key configured, make (once) and reuse a development key kept in the data dir."""
    if settings.api_keys or settings.tenants:
        return None
    path = Path(settings.data_dir) / DEV_KEY_FILE
    if path.is_file():
        key = path.read_text().strip()
        if key:
            return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = "vg-dev-" + secrets.token_urlsafe(24)
    path.write_text(key + "\n")
    path.chmod(0o600)
    return key
