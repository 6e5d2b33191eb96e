"""Characters: a named clip of the caller's tenant whose look later videos can cast."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Character:
    id: str  # char_<ULID>
    tenant: str
    name: str
    created_at: int
    asset_id: str  # where its files live in the asset store (a video_<ULID> key of its own)
    assets: dict[str, Any] = field(default_factory=dict)  # variant (video, still) -> file metadata
    key_id: str | None = None
    seconds: float = 0.0
    size: str = ""

    def cast_entry(self) -> dict[str, Any]:
        """What a job that casts it keeps: enough for any worker to find its still."""
        return {
            "id": self.id,
            "name": self.name,
            "asset_id": self.asset_id,
            "still": self.assets.get("still"),
        }
