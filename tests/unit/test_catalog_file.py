"""The built-in catalog is read with libyaml's C parser when PyYAML has one (start-up time); it
must read exactly what the pure-Python safe loader reads, dates and all."""

from __future__ import annotations

import pytest
import yaml

import vidgate.catalog
from vidgate.catalog import BUILTIN, YAML_LOADER, Catalog


def test_the_catalog_reads_the_same_with_either_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    text = BUILTIN.read_text()
    assert YAML_LOADER is getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    assert yaml.load(text, Loader=YAML_LOADER) == yaml.safe_load(text)
    used = []

    class Watched(YAML_LOADER):  # type: ignore[misc,valid-type]
        def __init__(self, stream: str) -> None:
            used.append(self)
            super().__init__(stream)

    monkeypatch.setattr(vidgate.catalog, "YAML_LOADER", Watched)
    catalog = Catalog.load()
    assert used, "Catalog.load did not read through YAML_LOADER"
    assert catalog.reviewed is not None and catalog.providers["local"].models
