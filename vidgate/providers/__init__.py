"""Provider adapters, one module each, all behind `VideoProvider`: they translate between the
gateway's requests and each provider's native API; the upstream client does the HTTP."""

from .base import (
    Abandoned,
    Capability,
    Completed,
    Failed,
    GenerationRequest,
    JobContext,
    NotSubmitted,
    Outcome,
    Pending,
    PreparedJob,
    SourceVideo,
    Submitted,
    VideoProvider,
)
from .registry import ProviderRegistry, build_providers

__all__ = [
    "Abandoned",
    "Capability",
    "Completed",
    "Failed",
    "GenerationRequest",
    "JobContext",
    "NotSubmitted",
    "Outcome",
    "Pending",
    "PreparedJob",
    "ProviderRegistry",
    "SourceVideo",
    "Submitted",
    "VideoProvider",
    "build_providers",
]
