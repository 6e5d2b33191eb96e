"""Who is asking: the tenant owns the jobs; the key is billed and limited."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from .spend import Budget


@dataclass(frozen=True)
class Caller:
    tenant: str
    key_id: str | None = None  # a short, non-secret id of the API key, safe to log
    requests_per_minute: int | None = None
    max_active_jobs: int | None = None
    budget: Budget | None = None  # the key's own budget (a stored key's)


def key_digest(key: str) -> bytes:
    """The one hashing rule for API keys, configured or stored: only digests are ever kept."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).digest()


def key_fingerprint(digest: bytes) -> str:
    """A short, non-secret id of a configured key, safe to log."""
    return "key_" + digest.hex()[:12]
