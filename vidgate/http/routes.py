"""The spec's path templates: which methods each allows (Starlette knows only the first route of a
path), and the template a request path belongs to (a metrics label of bounded cardinality)."""

from __future__ import annotations

import functools
import re
from pathlib import Path

from . import spec_files

_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def allow_table(spec_dir: Path) -> list[tuple[re.Pattern[str], str, str]]:
    """(pattern, path template, `Allow` value) for each path of the spec."""
    root = spec_files.load(spec_dir / "openapi.yaml")
    table = []
    for template, item in root["paths"].items():
        if "$ref" in item:
            file, _, pointer = item["$ref"].partition("#/")
            item = spec_files.load(spec_dir / file)[pointer]
        methods = [m.upper() for m in _HTTP_METHODS if m in item]
        if "GET" in methods and "HEAD" not in methods:
            methods.append("HEAD")  # Starlette answers HEAD wherever GET is routed
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
        table.append((re.compile(f"^{pattern}$"), template, ", ".join(methods)))
    return table


@functools.cache
def _table() -> list[tuple[re.Pattern[str], str, str]]:
    return allow_table(spec_files.SPEC_DIR)


def allowed_methods(path: str) -> str | None:
    return next((allow for rx, _, allow in _table() if rx.match(path)), None)


def route_of(path: str) -> str:
    return next((template for rx, template, _ in _table() if rx.match(path)), "unmatched")
