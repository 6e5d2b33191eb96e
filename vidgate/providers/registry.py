"""Which providers this gateway offers: `local` always, a remote one once its settings are present."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..catalog import Catalog
from ..config import Settings
from ..telemetry.metrics import Metrics
from ..upstream import UpstreamClient
from .base import VideoProvider
from .hosted import FalQueue, ReplicateVideos
from .local import LocalVideos
from .openai import AzureVideos, OpenAIVideos
from .runway import RunwayVideos
from .veo import GeminiVeo, VertexVeo

REMOTE: dict[str, type[VideoProvider]] = {
    "openai": OpenAIVideos,
    "azure": AzureVideos,
    "gemini": GeminiVeo,
    "vertex": VertexVeo,
    "runway": RunwayVideos,
    "replicate": ReplicateVideos,
    "fal": FalQueue,
}


@dataclass
class ProviderRegistry:
    offered: dict[str, VideoProvider]
    unconfigured: dict[str, str] = field(default_factory=dict)  # name -> what to set

    async def aclose(self) -> None:
        for provider in self.offered.values():
            await provider.aclose()


def setting_name(provider: str, adapter: type[VideoProvider], setting: str) -> str:
    """The environment variable of a missing setting, with what it is for where the adapter says
    (its `setting_help`, e.g. a BASE_URL that has no default)."""
    help_text = getattr(adapter, "setting_help", {}).get(setting)
    env = f"VIDGATE_PROVIDERS__{provider.upper()}__{setting.upper()}"
    return f"{env} ({help_text})" if help_text else env


def build_providers(settings: Settings, catalog: Catalog, metrics: Metrics | None = None) -> ProviderRegistry:
    """`local` always; a remote provider only when its required settings are present."""
    local = LocalVideos(settings.render)
    local.catalog = catalog.entry("local")
    registry = ProviderRegistry({"local": local})
    for name, adapter in REMOTE.items():
        config = settings.providers.get(name)
        required = adapter.required_settings  # type: ignore[attr-defined]
        missing = [s for s in required if config is None or getattr(config, s) in (None, "")]
        if missing:
            registry.unconfigured[name] = ", ".join(setting_name(name, adapter, s) for s in missing)
            continue
        assert config is not None
        provider = adapter(config)  # type: ignore[call-arg]
        provider.catalog = catalog.entry(name)
        for client in vars(provider).values():
            if isinstance(client, UpstreamClient):
                client.metrics = metrics
        registry.offered[name] = provider
    return registry
