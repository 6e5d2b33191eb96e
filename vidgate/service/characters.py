"""Characters: a named clip of the caller's tenant (an upload, or a completed video of theirs) whose
look later videos cast (`characters: [{"id": ...}]` on create). The clip and a still of it are kept
in the asset store; the row in the characters table."""

from __future__ import annotations

import asyncio
import functools
import time
from typing import Any

from .. import render
from ..domain import (
    Caller,
    Character,
    InvalidRequest,
    NotFound,
    is_character_id,
    new_character_id,
    new_job_id,
)
from ..providers import Capability
from ..store import CharacterStore
from .idempotency import run_idempotent
from .operations import completed_source, one_source, probe_upload, upload_digest
from .videos import VideoService


class CharacterService:
    def __init__(self, store: CharacterStore, videos: VideoService) -> None:
        self.store = store
        self.videos = videos

    def _check_offered(self) -> None:
        if not any(p.supports(Capability.CHARACTERS) for p in self.videos.providers.offered.values()):
            raise InvalidRequest(
                "video_character is not supported by any provider on this gateway",
                code="unsupported_operation",
                request_type=Capability.CHARACTERS.value,
            )

    async def create(
        self, caller: Caller, body: dict[str, Any], upload: bytes | None, idempotency_key: str | None
    ) -> Character:
        self._check_offered()
        make = functools.partial(self._create, caller, body, upload)
        request = {"op": "character", "body": body, "upload": upload_digest(upload)}
        return await run_idempotent(
            self.videos.idempotency, self.store.get_by_id, caller.tenant, idempotency_key, request, make
        )

    async def _clip(
        self, caller: Caller, body: dict[str, Any], upload: bytes | None
    ) -> tuple[bytes, float, str]:
        """The clip's bytes, length and size: an upload (checked), or a completed video of the caller's."""
        video_id = body.get("video_id")
        one_source(video_id, upload)
        if upload is not None:
            video = await probe_upload(upload)
            return video.data, video.seconds, video.size
        job = await self.videos._job(caller.tenant, video_id, Capability.RETRIEVE)
        completed_source(job, video_id, Capability.CHARACTERS.value)
        meta = (job.assets or {}).get("video")
        asset = await self.videos.assets.open(job.id, meta) if meta else None
        if asset is None:
            raise NotFound(f"video {video_id} has no file any more", code="video_not_found", param="video")
        staging = self.videos.assets.new_staging(job.id)
        try:
            path = await self.videos.assets.local_copy(job.id, meta, staging)
            data = await asyncio.to_thread(path.read_bytes) if path else b""
        finally:
            self.videos.assets.discard(staging)
        return data, float(job.seconds), job.size

    async def _create(self, caller: Caller, body: dict[str, Any], upload: bytes | None) -> Character:
        data, seconds, size = await self._clip(caller, body, upload)
        assets = self.videos.assets
        asset_id = new_job_id()  # the files' own key in the asset store
        staging = assets.new_staging(asset_id)
        try:
            clip = staging / "clip.mp4"
            await asyncio.to_thread(clip.write_bytes, data)
            still = await asyncio.to_thread(render.character_still, clip, staging)
            meta = await assets.commit(asset_id, {"video": clip, "still": still})
        finally:
            assets.discard(staging)
        character = Character(
            id=new_character_id(),
            tenant=caller.tenant,
            name=body["name"],
            created_at=int(time.time()),
            asset_id=asset_id,
            assets=meta,
            key_id=caller.key_id,
            seconds=seconds,
            size=size,
        )
        try:
            await self.store.insert(character)
        except BaseException:
            await assets.delete(asset_id)
            raise
        return character

    async def retrieve(self, tenant: str, character_id: str) -> Character:
        found = await self.store.get(tenant, character_id) if is_character_id(character_id) else None
        if found is None:  # another tenant's character is indistinguishable from none at all
            raise NotFound(
                f"no character {character_id!r} for this API key",
                code="character_not_found",
                param="character_id",
                request_type=Capability.CHARACTERS.value,
            )
        return found
