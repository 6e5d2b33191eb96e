"""The worker's JobContext as an adapter test needs it: a staging folder and nothing else."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from vidgate.providers.base import JobContext

T = TypeVar("T")


def _no_progress(_fraction: float) -> None:
    return None


class StagingContext(JobContext):
    """Blocking work runs in line, or on a thread (`threaded=True`) when it must leave the event
    loop free (a fake served from the same loop); no other job's files exist."""

    def __init__(self, staging_dir: Path, *, threaded: bool = False) -> None:
        self.staging_dir = staging_dir
        self._threaded = threaded

    async def run_blocking(self, fn: Callable[[Callable[[float], None]], T]) -> T:
        if self._threaded:
            return await asyncio.to_thread(fn, _no_progress)
        return fn(_no_progress)

    async def source_asset(self, public_id: str, variant: str) -> Path | None:
        return None
