"""Local assets are opened when a download is answered, so a delete racing the download (the
caller's own, another client's, or the sweeper's) cannot turn it into a 500 or a short file."""

from __future__ import annotations

from pathlib import Path

import pytest

from vidgate.assets.local import LocalAssetStore
from vidgate.domain import new_job_id

pytestmark = pytest.mark.anyio


async def _stored(tmp_path: Path, data: bytes) -> tuple[LocalAssetStore, str, dict]:
    store = LocalAssetStore(tmp_path / "assets")
    job_id = new_job_id()
    staging = store.new_staging(job_id)
    (staging / "video.mp4").write_bytes(data)
    meta = await store.commit(job_id, {"video": staging / "video.mp4"})
    return store, job_id, meta["video"]


async def test_an_opened_asset_reads_to_its_end_after_the_job_is_deleted(tmp_path: Path) -> None:
    data = bytes(range(256)) * 10_000  # 2.5 MB: several reads
    store, job_id, meta = await _stored(tmp_path, data)
    asset = await store.open(job_id, meta)
    assert asset is not None and asset.size == len(data)
    await store.delete(job_id)
    assert await store.open(job_id, meta) is None  # gone for the next caller
    assert b"".join([chunk async for chunk in asset.read(0, asset.size)]) == data


async def test_a_range_reads_exactly_its_bytes(tmp_path: Path) -> None:
    data = bytes(range(256)) * 10_000
    store, job_id, meta = await _stored(tmp_path, data)
    asset = await store.open(job_id, meta)
    assert asset is not None
    start, end = 1_000_001, 2_100_003
    assert b"".join([chunk async for chunk in asset.read(start, end)]) == data[start:end]
