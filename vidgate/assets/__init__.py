"""Where finished videos live, addressed only by our own job ids: a local folder, or S3."""

from __future__ import annotations

from ..config import Settings
from .base import Asset, AssetStore
from .local import LocalAssetStore

__all__ = ["Asset", "AssetStore", "LocalAssetStore", "build_asset_store"]


def build_asset_store(settings: Settings) -> AssetStore:
    if settings.asset_store == "s3":
        from .s3 import S3AssetStore

        return S3AssetStore(settings.s3, staging_root=settings.data_dir / "staging")
    return LocalAssetStore(settings.assets_dir)
