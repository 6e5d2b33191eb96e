"""Assets in an S3-compatible bucket (obstore), so every gateway instance serves every video."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import obstore
from obstore.store import S3Store

from ..config import S3Settings
from .base import Asset, AssetStore, file_meta, job_dir_name


class S3AssetStore(AssetStore):
    def __init__(self, settings: S3Settings, *, staging_root: Path) -> None:
        self.prefix = settings.prefix.strip("/") + "/" if settings.prefix.strip("/") else ""
        self.staging_root = staging_root
        self.staging_root.mkdir(parents=True, exist_ok=True)
        self.store = S3Store(
            settings.bucket,
            endpoint=settings.endpoint,
            region=settings.region,
            access_key_id=settings.access_key_id,
            secret_access_key=settings.secret_access_key.get_secret_value()
            if settings.secret_access_key
            else None,
            client_options={"allow_http": settings.allow_http},
        )

    def _key(self, job_id: str, file: str) -> str:
        return f"{self.prefix}{job_dir_name(job_id)}/{Path(file).name}"

    async def commit(self, job_id: str, files: dict[str, Path]) -> dict[str, Any]:
        meta: dict[str, Any] = {}
        for variant, path in files.items():
            info = await asyncio.to_thread(file_meta, path)
            with path.open("rb") as f:
                await obstore.put_async(
                    self.store,
                    self._key(job_id, path.name),
                    f,
                    attributes={"Content-Type": info["content_type"]},
                )
            meta[variant] = info
        return meta

    async def open(self, job_id: str, meta: dict[str, Any]) -> Asset | None:
        key = self._key(job_id, meta["file"])
        try:
            head = await obstore.head_async(self.store, key)
        except FileNotFoundError:
            return None

        async def read(start: int, end: int) -> AsyncIterator[bytes]:
            result = await obstore.get_async(self.store, key, options={"range": (start, end)})
            async for chunk in result.stream(min_chunk_size=1 << 16):
                yield bytes(chunk)

        return Asset(meta["content_type"], int(head["size"]), meta["etag"], Path(key).name, read=read)

    async def local_copy(self, job_id: str, meta: dict[str, Any], dest_dir: Path) -> Path | None:
        asset = await self.open(job_id, meta)
        if asset is None:
            return None
        dest = dest_dir / f"source-{Path(meta['file']).name}"
        with dest.open("wb") as f:
            async for chunk in asset.read(0, asset.size):
                f.write(chunk)
        return dest

    async def delete(self, job_id: str) -> None:
        prefix = f"{self.prefix}{job_dir_name(job_id)}/"
        keys = [meta["path"] async for batch in obstore.list(self.store, prefix=prefix) for meta in batch]
        if keys:
            await obstore.delete_async(self.store, keys)
