"""Provider adapters, one module each, all behind `VideoProvider`."""

from __future__ import annotations

from ..config import Settings
from .base import Capability, GenerationRequest, JobContext, PreparedJob, VideoProvider
from .local import LocalVideos

__all__ = [
    "Capability",
    "GenerationRequest",
    "JobContext",
    "PreparedJob",
    "VideoProvider",
    "build_providers",
]


def build_providers(settings: Settings) -> dict[str, VideoProvider]:
    """The providers this gateway offers: `local` always, others when configured."""
    providers: dict[str, VideoProvider] = {"local": LocalVideos(settings.render)}
    return providers
