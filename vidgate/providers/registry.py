"""Which providers this gateway offers: `local` always, a remote one once its settings are present."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..catalog import Catalog
from ..config import ProviderSettings, Settings
from ..telemetry.metrics import Metrics
from ..upstream import UpstreamClient
from .ark import ArkVideos
from .base import VideoProvider
from .bedrock import BedrockVideos
from .dashscope import DashScopeVideos
from .gemini import GeminiOmni
from .hosted import FalQueue, ReplicateVideos
from .kling import KlingVideos
from .local import LocalVideos
from .luma import LumaDreamMachine
from .minimax import MiniMaxVideos
from .openai import AzureVideos, OpenAIVideos
from .runway import RunwayVideos
from .vertex import VertexVeo
from .xai import XaiVideos

REMOTE: dict[str, type[VideoProvider]] = {
    "openai": OpenAIVideos,
    "azure": AzureVideos,
    "gemini": GeminiOmni,
    "vertex": VertexVeo,
    "runway": RunwayVideos,
    "replicate": ReplicateVideos,
    "fal": FalQueue,
    "kling": KlingVideos,
    "ark": ArkVideos,
    "dashscope": DashScopeVideos,
    "minimax": MiniMaxVideos,
    "luma": LumaDreamMachine,
    "xai": XaiVideos,
    "bedrock": BedrockVideos,
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


def missing_settings(name: str, adapter: type[VideoProvider], config: ProviderSettings | None) -> str | None:
    """What the operator must still set before a provider is offered: None once its
    `required_settings` are all set, or all of one of its `alternative_settings` (a provider that
    takes either of two kinds of credentials)."""
    choices = (adapter.required_settings, *getattr(adapter, "alternative_settings", ()))  # type: ignore[attr-defined]
    gaps = [[s for s in names if config is None or getattr(config, s) in (None, "")] for names in choices]
    if not all(gaps):
        return None
    return " or ".join(", ".join(setting_name(name, adapter, s) for s in gap) for gap in gaps)


def build_providers(settings: Settings, catalog: Catalog, metrics: Metrics | None = None) -> ProviderRegistry:
    """`local` always; a remote provider only when its required settings are present."""
    local = LocalVideos(settings.render)
    local.catalog = catalog.entry("local")
    registry = ProviderRegistry({"local": local})
    for name, adapter in REMOTE.items():
        config = settings.providers.get(name)
        missing = missing_settings(name, adapter, config)
        if missing:
            registry.unconfigured[name] = missing
            continue
        assert config is not None
        provider = adapter(config)  # type: ignore[call-arg]
        provider.catalog = catalog.entry(name)
        for client in vars(provider).values():
            if isinstance(client, UpstreamClient):
                client.metrics = metrics
        registry.offered[name] = provider
    return registry
