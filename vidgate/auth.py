"""API keys → tenants. Keys are held only as SHA-256 digests and compared in constant time."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from .config import Settings

DEV_KEY_FILE = "dev-api-key"


@dataclass(frozen=True)
class Principal:
    tenant: str
    key_id: str  # a short, non-secret fingerprint of the key, safe to log


def digest(key: str) -> bytes:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).digest()


def fingerprint(key_digest: bytes) -> str:
    return "key_" + key_digest.hex()[:12]


class KeyRing:
    def __init__(self, keys: dict[str, str]) -> None:
        """keys: plain key -> tenant; only digests are kept."""
        self._by_digest = {digest(k): tenant for k, tenant in keys.items()}

    @classmethod
    def from_settings(cls, settings: Settings) -> KeyRing:
        keys: dict[str, str] = {}
        for key in settings.api_keys:
            keys[key] = "tenant_" + digest(key).hex()[:12]
        for tenant, tenant_keys in settings.tenants.items():
            for key in tenant_keys:
                keys[key] = tenant
        return cls(keys)

    def __len__(self) -> int:
        return len(self._by_digest)

    def authenticate(self, presented: str | None) -> Principal | None:
        if not presented or len(presented) > 512:
            return None
        wanted = digest(presented)
        # Compared as SHA-256 digests in a hash table: what the lookup's timing could reveal is
        # bits of the digest of the caller's own guess, never anything about a stored key.
        tenant = self._by_digest.get(wanted)
        return None if tenant is None else Principal(tenant=tenant, key_id=fingerprint(wanted))


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
