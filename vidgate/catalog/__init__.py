"""The model catalog: what each provider's models take, what they cost, and when they retire.

It is data (models.yaml, shipped in the package), merged field by field with the operator's own
entries from the config file (`catalog:`), so a price, a new model or a lifecycle can change without
code. Adapters read their limits from it; the service refuses retired models before anything is sent
upstream; `GET /v1/models` serves it; spend is priced from it.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

# libyaml's C parser when PyYAML has it: the pure-Python one took ~0.25 s of every start on this
# 76 KB file (the spec's files are read the same way, http/spec_files); the same safe constructor.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
BUILTIN = Path(__file__).resolve().parent / "models.yaml"
Lifecycle = Literal["available", "preview", "deprecated", "retired"]
Audio = Literal["never", "optional", "always"]
OPERATIONS = ("remix", "extend", "edit")


def resolution_tier(size: str) -> str:
    """`1920x1080` -> `1080p`: providers price by the short side (`2160p` is called `4k`)."""
    width, _, height = size.partition("x")
    short = min(int(width), int(height))
    return "4k" if short >= 2160 else f"{short}p"


@dataclass(frozen=True)
class Price:
    """USD per output second, by resolution tier (`720p`, `1080p`, `4k`, or `*` for any)."""

    per_second: dict[str, float]
    source: str
    as_of: str
    with_audio: dict[str, float] | None = None  # where a generated soundtrack costs more
    note: str | None = None

    def per_second_for(self, size: str, audio: bool = False) -> float | None:
        table = self.with_audio if (audio and self.with_audio) else self.per_second
        tier = resolution_tier(size)
        return table.get(tier, table.get("*"))

    def cost(self, size: str, seconds: int, audio: bool = False) -> float | None:
        rate = self.per_second_for(size, audio)
        return None if rate is None else round(rate * seconds, 6)


@dataclass(frozen=True)
class ModelSpec:
    provider: str
    name: str
    label: str | None = None
    lifecycle: Lifecycle = "available"
    retires_on: dt.date | None = None  # past: retired; future: deprecated until then
    successor: str | None = None  # provider/model that replaces it
    note: str | None = None
    durations: tuple[int, ...] | None = None  # the seconds it takes; None: see seconds_range
    seconds_range: tuple[int, int] | None = None
    default_seconds: int | None = None
    sizes: tuple[str, ...] | None = None  # WxH it takes; None: any the adapter accepts
    default_size: str | None = None
    audio: Audio = "never"
    image_input: bool = False
    video_input: bool = False
    operations: frozenset[str] = frozenset()  # beyond create: remix, extend, edit
    price: Price | None = None
    # What the provider's own API needs to hear for this model (its endpoints, how a size becomes its
    # fields), read only by that provider's adapter and never served; its layout is the adapter's.
    upstream: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def id(self) -> str:
        return f"{self.provider}/{self.name}"

    def lifecycle_on(self, today: dt.date) -> Lifecycle:
        if self.retires_on is not None:
            return "retired" if today >= self.retires_on else "deprecated"
        return self.lifecycle

    def retired(self, today: dt.date | None = None) -> bool:
        return self.lifecycle_on(today or dt.date.today()) == "retired"

    def takes_seconds(self, seconds: int) -> bool:
        if self.durations is not None:
            return seconds in self.durations
        if self.seconds_range is not None:
            return self.seconds_range[0] <= seconds <= self.seconds_range[1]
        return True

    def allowed_seconds(self) -> str:
        if self.durations is not None:
            return ", ".join(map(str, self.durations))
        if self.seconds_range is not None:
            return f"{self.seconds_range[0]} to {self.seconds_range[1]}"
        return "any"


@dataclass(frozen=True)
class ProviderEntry:
    name: str
    label: str
    open_models: bool  # any model name the provider has passes through (unknown ones unpriced)
    models: dict[str, ModelSpec] = field(default_factory=dict)


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _price(raw: dict[str, Any] | None) -> Price | None:
    if not raw:
        return None
    return Price(
        per_second={str(k): float(v) for k, v in raw["per_second"].items()},
        with_audio={str(k): float(v) for k, v in raw["with_audio"].items()}
        if raw.get("with_audio")
        else None,
        source=str(raw["source"]),
        as_of=str(raw["as_of"]),
        note=raw.get("note"),
    )


def _model(provider: str, name: str, raw: dict[str, Any]) -> ModelSpec:
    seconds = raw.get("seconds")
    durations = tuple(seconds) if isinstance(seconds, list) else None
    seconds_range = (int(seconds["min"]), int(seconds["max"])) if isinstance(seconds, dict) else None
    unknown = set(raw.get("operations") or ()) - set(OPERATIONS)
    if unknown:
        raise ValueError(f"catalog {provider}/{name}: unknown operations {sorted(unknown)}")
    return ModelSpec(
        provider=provider,
        name=name,
        label=raw.get("label"),
        lifecycle=raw.get("lifecycle", "available"),
        retires_on=_date(raw.get("retires_on")),
        successor=raw.get("successor"),
        note=raw.get("note"),
        durations=durations,
        seconds_range=seconds_range,
        default_seconds=raw.get("default_seconds"),
        sizes=tuple(raw["sizes"]) if raw.get("sizes") else None,
        default_size=raw.get("default_size"),
        audio=raw.get("audio", "never"),
        image_input=bool(raw.get("image_input", False)),
        video_input=bool(raw.get("video_input", False)),
        operations=frozenset(raw.get("operations") or ()),
        price=_price(raw.get("price")),
        upstream=copy.deepcopy(raw.get("upstream") or {}),
    )


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Field by field: a mapping merges into a mapping; anything else replaces."""
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


class Catalog:
    def __init__(self, providers: dict[str, ProviderEntry], reviewed: dt.date | None = None) -> None:
        self.providers = providers
        self.reviewed = reviewed  # when the built-in entries were last checked

    @classmethod
    def load(cls, overrides: dict[str, Any] | None = None, path: Path = BUILTIN) -> Catalog:
        document = yaml.load(path.read_text(), Loader=YAML_LOADER)  # noqa: S506 - a safe loader
        raw = merge(document["providers"], overrides or {})
        providers = {}
        for name, entry in raw.items():
            models = {m: _model(name, m, spec or {}) for m, spec in (entry.get("models") or {}).items()}
            providers[name] = ProviderEntry(
                name, entry.get("label", name), bool(entry.get("open_models")), models
            )
        return cls(providers, _date(document.get("reviewed")))

    def entry(self, provider: str) -> ProviderEntry:
        return self.providers.get(provider) or ProviderEntry(provider, provider, open_models=True)

    def model(self, provider: str, name: str) -> ModelSpec | None:
        return self.entry(provider).models.get(name)
