"""The README's provider table and docs/models.md, written from the model catalog and the adapters.

python scripts/catalog_docs.py          # rewrite both
python scripts/catalog_docs.py --check  # exit 1 if either is stale (tests/contract runs this)
"""

from __future__ import annotations

import sys
from pathlib import Path

from vidgate.catalog import Catalog, ModelSpec
from vidgate.providers.base import Capability
from vidgate.providers.local import LocalVideos
from vidgate.providers.registry import REMOTE

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
MODELS = ROOT / "docs" / "models.md"
START, END = "<!-- catalog:providers:start -->", "<!-- catalog:providers:end -->"


def _settings(adapter: type) -> str:
    choices = [
        getattr(adapter, "required_settings", ("api_key",)),
        *getattr(adapter, "alternative_settings", ()),
    ]
    return " or ".join(", ".join(f"`{s.upper()}`" for s in choice) for choice in choices) or "nothing"


def _operations(adapter: type) -> str:
    capabilities = adapter.capabilities
    parts = []
    if adapter is LocalVideos:
        parts.append("delete stops the render")
    elif Capability.DELETE in capabilities:
        parts.append("delete cancels upstream")
    if Capability.REMIX in capabilities:
        parts.append("remix")
    return ", ".join(parts) or "—"


def _seconds(models: list[ModelSpec]) -> str:
    values = []
    for m in models:
        if m.durations:
            values += [min(m.durations), max(m.durations)]
        elif m.seconds_range:
            values += list(m.seconds_range)
    return f"{min(values)}-{max(values)}" if values else "the model's own"


def _price_range(models: list[ModelSpec]) -> str:
    rates = [
        r
        for m in models
        if m.price
        for r in [*m.price.per_second.values(), *(m.price.with_audio or {}).values()]
    ]
    if not rates:
        return "operator-set"
    low, high = min(rates), max(rates)
    return f"${low:.2f}" if low == high else f"${low:.2f}-{high:.2f}"


def provider_table(catalog: Catalog) -> str:
    assert catalog.reviewed is not None  # lifecycles as of the catalog's review, so the docs are stable
    adapters = {"local": LocalVideos, **REMOTE}
    rows = [
        "| Provider | What it is | Needs | Models (available; retired) | Seconds | $ per output second "
        "| Also |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, adapter in adapters.items():
        entry = catalog.entry(name)
        live = [m for m in entry.models.values() if m.lifecycle_on(catalog.reviewed) != "retired"]
        gone = [m for m in entry.models.values() if m.lifecycle_on(catalog.reviewed) == "retired"]
        names = ", ".join(f"`{m.name}`" for m in live[:4]) + (
            f" +{len(live) - 4} more" if len(live) > 4 else ""
        )
        if entry.open_models:
            names = (names + ", " if names else "") + "any model it has"
        if gone:
            names += (
                "; retired: " + ", ".join(f"`{m.name}`" for m in gone[:3]) + (" …" if len(gone) > 3 else "")
            )
        needs = "nothing" if adapter is LocalVideos else _settings(adapter)
        rows.append(
            f"| `{name}` | {entry.label} | {needs} | {names or '—'} | {_seconds(live)} "
            f"| {_price_range(live)} | {_operations(adapter)} |"
        )
    return "\n".join(rows)


def _cell(values: tuple | None, limit: int = 6) -> str:
    if not values:
        return "any"
    shown = ", ".join(map(str, values[:limit]))
    return shown + (f" +{len(values) - limit}" if len(values) > limit else "")


def models_page(catalog: Catalog) -> str:
    assert catalog.reviewed is not None
    lines = [
        "# Models",
        "",
        "Written by `scripts/catalog_docs.py` from `vidgate/catalog/models.yaml` (a test fails when it is",
        f"stale). Lifecycles as of the catalog's review ({catalog.reviewed.isoformat()}); `GET /v1/models`",
        "serves the same catalog, with any overrides from the config file. Prices are USD per output",
        "second by resolution (the short side).",
        "",
    ]
    for name, entry in catalog.providers.items():
        lines += [f"## `{name}`", "", entry.label, ""]
        if entry.open_models:
            lines += ["Takes any model name the provider has; the ones below are known to the catalog.", ""]
        if not entry.models:
            continue
        lines += [
            "| Model | Lifecycle | Seconds | Sizes | Audio | Image | Price ($/s) | Price source |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for model in entry.models.values():
            lifecycle = model.lifecycle_on(catalog.reviewed)
            if model.retires_on:
                lifecycle += f" ({model.retires_on.isoformat()})"
            if model.successor and lifecycle.startswith(("retired", "deprecated")):
                lifecycle += f" → `{model.successor}`"
            seconds = model.allowed_seconds()
            price = ", ".join(f"{k} {v:g}" for k, v in model.price.per_second.items()) if model.price else ""
            if model.price and model.price.with_audio:
                price += "; with audio " + ", ".join(f"{k} {v:g}" for k, v in model.price.with_audio.items())
            source = f"{model.price.source} ({model.price.as_of})" if model.price else ""
            lines.append(
                f"| `{model.name}` | {lifecycle} | {seconds} | {_cell(model.sizes)} | {model.audio} "
                f"| {'yes' if model.image_input else 'no'} | {price} | {source} |"
            )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def rendered_readme(catalog: Catalog) -> str:
    text = README.read_text()
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{provider_table(catalog)}\n{END}{tail}"


def main(argv: list[str]) -> int:
    catalog = Catalog.load()
    readme, models = rendered_readme(catalog), models_page(catalog)
    if "--check" in argv:
        stale = [
            p.name
            for p, text in ((README, readme), (MODELS, models))
            if not p.exists() or p.read_text() != text
        ]
        if stale:
            print(f"stale: {', '.join(stale)}; run python scripts/catalog_docs.py")
            return 1
        return 0
    README.write_text(readme)
    MODELS.parent.mkdir(exist_ok=True)
    MODELS.write_text(models)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
