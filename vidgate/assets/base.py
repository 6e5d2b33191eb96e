"""The asset store interface: staging on local disk, then committed where every instance can read."""

from __future__ import annotations

import hashlib
import mimetypes
import shutil
import uuid
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..domain import is_job_id

CONTENT_TYPES = {".mp4": "video/mp4", ".webp": "image/webp", ".jpg": "image/jpeg"}


@dataclass(frozen=True)
class Asset:
    """A stored file, open for reading: `read(start, end)` yields the bytes of [start, end)."""

    content_type: str
    size: int
    etag: str
    filename: str
    read: Callable[[int, int], AsyncIterator[bytes]]


def file_meta(path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return {
        "file": path.name,
        "content_type": CONTENT_TYPES.get(path.suffix)
        or mimetypes.guess_type(path.name)[0]
        or "application/octet-stream",
        "size": path.stat().st_size,
        "etag": '"' + digest.hexdigest()[:32] + '"',
    }


def job_dir_name(job_id: str) -> str:
    if not is_job_id(job_id):  # never build a path or key from anything but our own ids
        raise ValueError(f"not a job id: {job_id!r}")
    return job_id


class AssetStore(ABC):
    staging_root: Path

    def new_staging(self, job_id: str) -> Path:
        path = self.staging_root / f"{job_dir_name(job_id)}-{uuid.uuid4().hex[:8]}"
        path.mkdir(parents=True)
        return path

    def discard(self, path: Path) -> None:
        shutil.rmtree(path, ignore_errors=True)

    @abstractmethod
    async def commit(self, job_id: str, files: dict[str, Path]) -> dict[str, Any]:
        """Store a job's rendered or fetched files; returns the metadata its row keeps."""

    @abstractmethod
    async def open(self, job_id: str, meta: dict[str, Any]) -> Asset | None:
        """The stored file, or None when it is gone."""

    @abstractmethod
    async def local_copy(self, job_id: str, meta: dict[str, Any], dest_dir: Path) -> Path | None:
        """A file on this machine (to decode, e.g. a remix source), or None when it is gone."""

    @abstractmethod
    async def delete(self, job_id: str) -> None:
        """Remove every file of the job (idempotent)."""
