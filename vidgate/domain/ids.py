"""Video ids: the gateway mints `video_<ULID>` and publishes `<id>:<provider>`."""

from __future__ import annotations

import os
import re
import threading
import time
from typing import NamedTuple

from .errors import InvalidRequest

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_JOB_ID_RE = re.compile(r"^video_[0-9A-HJKMNP-TV-Z]{26}$")
_CHARACTER_ID_RE = re.compile(r"^char_[0-9A-HJKMNP-TV-Z]{26}$")
_PROVIDER_RE = re.compile(r"^[a-z0-9_-]{1,40}$")


class VideoRef(NamedTuple):
    job_id: str
    provider: str

    def __str__(self) -> str:
        return f"{self.job_id}:{self.provider}"


class _MonotonicUlid:
    """ULIDs that sort in creation order, also within one millisecond (list pages by id)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last_ms = -1
        self._last_rand = 0

    def new(self) -> str:
        with self._lock:
            ms = time.time_ns() // 1_000_000
            if ms <= self._last_ms:
                ms = self._last_ms
                rand = (self._last_rand + 1) & ((1 << 80) - 1)
            else:
                rand = int.from_bytes(os.urandom(10), "big")
            self._last_ms, self._last_rand = ms, rand
        value = (ms << 80) | rand
        return "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


_ulids = _MonotonicUlid()


def new_job_id() -> str:
    return "video_" + _ulids.new()


def is_job_id(value: str) -> bool:
    return bool(_JOB_ID_RE.match(value))


def new_character_id() -> str:
    return "char_" + _ulids.new()


def is_character_id(value: str) -> bool:
    return bool(_CHARACTER_ID_RE.match(value))


def parse_video_id(value: str, *, param: str = "video_id") -> VideoRef:
    """Split `id:provider`; malformed input is the caller's mistake (400)."""
    job_id, sep, provider = value.rpartition(":")
    if not sep or not job_id or not provider:
        raise InvalidRequest(
            f"{param} must be in id:provider format (e.g. video_01JD3Z8Q7W6X5V4T3S2R1P0N9M:local)",
            code="invalid_video_id",
            param=param,
        )
    if not _PROVIDER_RE.match(provider):
        raise InvalidRequest(
            f"{param} names an invalid provider {provider[:40]!r}: use the id exactly as returned",
            code="invalid_video_id",
            param=param,
        )
    return VideoRef(job_id, provider)
