"""Where finished videos live: a local folder by default, addressed only by our own job ids."""

from __future__ import annotations

import hashlib
import mimetypes
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .ids import is_job_id

CONTENT_TYPES = {".mp4": "video/mp4", ".webp": "image/webp", ".jpg": "image/jpeg"}


@dataclass(frozen=True)
class Asset:
    path: Path
    content_type: str
    size: int
    etag: str


def _etag(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return '"' + digest.hexdigest()[:32] + '"'


class LocalAssetStore:
    """Assets under `<root>/<job_id>/`; writes go to a staging folder and are renamed into place."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.staging_root = self.root / ".staging"
        self.staging_root.mkdir(parents=True, exist_ok=True)

    def _job_dir(self, job_id: str) -> Path:
        if not is_job_id(job_id):  # never build a path from anything but our own ids
            raise ValueError(f"not a job id: {job_id!r}")
        return self.root / job_id

    def new_staging(self, job_id: str) -> Path:
        path = self.staging_root / f"{self._job_dir(job_id).name}-{uuid.uuid4().hex[:8]}"
        path.mkdir(parents=True)
        return path

    def commit(self, job_id: str, files: dict[str, Path]) -> dict[str, Any]:
        """Move rendered files into place; returns the metadata the job row keeps."""
        final = self._job_dir(job_id)
        if final.exists():
            shutil.rmtree(final)
        final.mkdir(parents=True)
        meta: dict[str, Any] = {}
        for variant, src in files.items():
            dest = final / src.name
            src.replace(dest)
            meta[variant] = {
                "file": dest.name,
                "content_type": CONTENT_TYPES.get(dest.suffix)
                or mimetypes.guess_type(dest.name)[0]
                or "application/octet-stream",
                "size": dest.stat().st_size,
                "etag": _etag(dest),
            }
        return meta

    def open(self, job_id: str, meta: dict[str, Any]) -> Asset | None:
        path = self._job_dir(job_id) / Path(meta["file"]).name
        if not path.is_file():
            return None
        return Asset(path, meta["content_type"], int(meta["size"]), meta["etag"])

    def discard(self, path: Path) -> None:
        shutil.rmtree(path, ignore_errors=True)

    def delete(self, job_id: str) -> None:
        shutil.rmtree(self._job_dir(job_id), ignore_errors=True)
