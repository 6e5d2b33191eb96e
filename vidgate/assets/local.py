"""Assets under `<root>/<job_id>/`; writes go to a staging folder and are renamed into place."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from .base import Asset, AssetStore, file_meta, job_dir_name

_CHUNK = 1 << 20  # one read per hop to a worker thread; 64 KiB hops capped downloads at ~170 MB/s


class LocalAssetStore(AssetStore):
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.staging_root = self.root / ".staging"
        self.staging_root.mkdir(parents=True, exist_ok=True)

    def _job_dir(self, job_id: str) -> Path:
        return self.root / job_dir_name(job_id)

    def _commit(self, job_id: str, files: dict[str, Path]) -> dict[str, Any]:
        final = self._job_dir(job_id)
        if final.exists():
            shutil.rmtree(final)
        final.mkdir(parents=True)
        meta: dict[str, Any] = {}
        for variant, src in files.items():
            dest = final / src.name
            src.replace(dest)
            meta[variant] = file_meta(dest)
        return meta

    async def commit(self, job_id: str, files: dict[str, Path]) -> dict[str, Any]:
        return await asyncio.to_thread(self._commit, job_id, files)

    def _path(self, job_id: str, meta: dict[str, Any]) -> Path | None:
        path = self._job_dir(job_id) / Path(meta["file"]).name
        return path if path.is_file() else None

    async def open(self, job_id: str, meta: dict[str, Any]) -> Asset | None:
        """The file is opened here, not when the answer streams: a delete in between (the caller's
        or the sweeper's) unlinks the name, and the open file still reads to its end."""
        path = self._job_dir(job_id) / Path(meta["file"]).name
        try:
            file = await asyncio.to_thread(path.open, "rb")
        except (FileNotFoundError, IsADirectoryError):
            return None

        async def read(start: int, end: int) -> AsyncIterator[bytes]:
            try:
                while start < end:
                    chunk = await asyncio.to_thread(os.pread, file.fileno(), min(_CHUNK, end - start), start)
                    if not chunk:
                        return
                    start += len(chunk)
                    yield chunk
            finally:
                file.close()

        size = os.fstat(file.fileno()).st_size
        return Asset(meta["content_type"], size, meta["etag"], path.name, read=read)

    async def local_copy(self, job_id: str, meta: dict[str, Any], dest_dir: Path) -> Path | None:
        return self._path(job_id, meta)

    async def delete(self, job_id: str) -> None:
        await asyncio.to_thread(shutil.rmtree, self._job_dir(job_id), True)
