"""Tripwires for the library internals vidgate patches (connexion_tuning.py, store/inline_sqlite.py).

Those modules were written against exact versions, pinned in pyproject.toml. When a pin is moved,
these fail with a message naming what changed, so the tuning is re-checked against the new release
(then the equivalence test, tests/contract/test_tuning_equivalence.py, shows nothing else changed).
"""

from __future__ import annotations

import inspect
import re
import sqlite3
import tomllib
from contextvars import ContextVar
from importlib.metadata import version
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PATCHED = {  # distribution -> the module of ours that reaches into it
    "connexion": "vidgate/connexion_tuning.py",
    "aiosqlite": "vidgate/store/inline_sqlite.py",
    "sqlalchemy": "vidgate/store/inline_sqlite.py",
}


def pins() -> dict[str, str]:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    found = {}
    for dep in deps:
        match = re.match(r"^([A-Za-z0-9_.-]+)(?:\[[^]]*\])?==([^\s,;]+)", dep)
        if match:
            found[match.group(1).lower()] = match.group(2)
    return found


@pytest.mark.parametrize("dist", sorted(PATCHED))
def test_patched_libraries_are_pinned_exactly_and_installed_at_the_pin(dist: str) -> None:
    pinned = pins().get(dist)
    assert pinned, f"{dist} must be pinned with == in pyproject.toml: {PATCHED[dist]} patches its internals"
    assert version(dist) == pinned, (
        f"{dist} {version(dist)} is installed but {PATCHED[dist]} was checked against {pinned}"
    )


def _needs(condition: bool, what: str, module: str) -> None:
    assert condition, (
        f"{what} changed: {module} relies on it. Re-check that module against the installed version, "
        "then move the pin in pyproject.toml."
    )


def test_the_connexion_internals_the_tuning_patches_are_still_there() -> None:
    from connexion import context
    from connexion import spec as connexion_spec
    from connexion.apps.asynchronous import AsyncOperation
    from connexion.decorators import parameter
    from connexion.decorators.main import ASGIDecorator
    from connexion.json_schema import FileHandler
    from connexion.middleware.context import ContextOperation
    from connexion.middleware.main import ConnexionMiddleware
    from connexion.operations import OpenAPIOperation
    from connexion.security import AbstractSecurityHandler
    from connexion.validators import VALIDATOR_MAP, JSONRequestBodyValidator
    from connexion.validators.parameter import ParameterValidator

    where = PATCHED["connexion"]
    _needs(
        isinstance(inspect.getattr_static(AsyncOperation, "fn"), property),
        "AsyncOperation.fn (a property)",
        where,
    )
    call = inspect.getsource(ASGIDecorator.__call__)
    _needs(
        "self.framework.get_request" in call and "self.uri_parser" in call and "self.decorate" in call,
        "ASGIDecorator.__call__ (builds uri_parser and decorate per call)",
        where,
    )
    _needs(
        list(inspect.signature(AbstractSecurityHandler._accepts_kwarg).parameters) == ["func", "keyword"],
        "AbstractSecurityHandler._accepts_kwarg(func, keyword)",
        where,
    )
    _needs(callable(getattr(parameter, "pythonic", None)), "connexion.decorators.parameter.pythonic", where)
    _needs(getattr(connexion_spec, "yaml", None) is not None, "connexion.spec's module-level `yaml`", where)
    _needs(
        hasattr(FileHandler, "_uri_to_path") and callable(FileHandler.__call__),
        "FileHandler._uri_to_path",
        where,
    )
    from connexion import json_schema

    _needs(
        "RefResolver(" in inspect.getsource(json_schema.resolve_refs)
        and list(inspect.signature(json_schema.RefResolver.resolve_fragment).parameters)
        == ["self", "document", "fragment"],
        "connexion.json_schema.resolve_refs building a RefResolver(...).resolve_fragment(document, fragment)",
        where,
    )
    _needs(
        isinstance(inspect.getattr_static(JSONRequestBodyValidator, "_validator"), property)
        and "self._schema" in inspect.getsource(JSONRequestBodyValidator),
        "JSONRequestBodyValidator._validator / _schema",
        where,
    )
    _needs(
        list(inspect.signature(ParameterValidator.validate_parameter).parameters)
        == ["parameter_type", "value", "param", "param_name"],
        "ParameterValidator.validate_parameter(parameter_type, value, param, param_name)",
        where,
    )
    _needs(
        "*/*json" in VALIDATOR_MAP["body"] and "parameter" in VALIDATOR_MAP,
        "connexion's VALIDATOR_MAP",
        where,
    )
    _needs(
        list(inspect.signature(OpenAPIOperation.body_definition).parameters) == ["self", "content_type"],
        "OpenAPIOperation.body_definition(self, content_type)",
        where,
    )
    # the shortcut (vidgate/http/shortcut.py) sets the handler's request context as Connexion does
    _needs(
        isinstance(context._scope, ContextVar) and isinstance(context._receive, ContextVar),
        "connexion.context._scope / _receive (ContextVars the handlers' `request` reads)",
        where,
    )
    _needs(
        "ContextMiddleware" in inspect.getsource(ConnexionMiddleware)
        and "_scope.set(scope)" in inspect.getsource(ContextOperation),
        "ContextOperation setting _scope per request",
        where,
    )


def test_the_aiosqlite_and_sqlalchemy_internals_the_inline_store_uses_are_still_there() -> None:
    import aiosqlite
    from sqlalchemy.dialects.sqlite.aiosqlite import AsyncAdapt_aiosqlite_dbapi

    where = PATCHED["aiosqlite"]
    connection = aiosqlite.Connection(lambda: sqlite3.connect(":memory:"), 64)
    _needs(
        hasattr(getattr(connection, "_tx", None), "put_nowait"), "aiosqlite.Connection._tx (its queue)", where
    )
    _needs(inspect.iscoroutinefunction(aiosqlite.Connection._connect), "aiosqlite.Connection._connect", where)
    _needs(
        "self._thread.start()" in inspect.getsource(aiosqlite.Connection.__await__),
        "aiosqlite.Connection.__await__ (starts the thread, then _connect)",
        where,
    )
    _needs(
        list(inspect.signature(AsyncAdapt_aiosqlite_dbapi.__init__).parameters)
        == ["self", "aiosqlite", "sqlite"],
        "SQLAlchemy's AsyncAdapt_aiosqlite_dbapi(aiosqlite, sqlite)",
        where,
    )


def test_the_pointer_resolver_resolves_the_spec_as_jsonschema_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """connexion_tuning.PointerRefResolver follows references into the spec's other files as JSON
    pointers: the spec Connexion resolves must be the one jsonschema's own resolver gives, and a
    pointer to nothing must still fail."""
    from connexion import json_schema

    from vidgate.http import connexion_tuning, spec_files

    connexion_tuning.apply()  # the spec's files as the gateway reads them
    original = connexion_tuning.PointerRefResolver.__mro__[1]
    root = spec_files.SPEC_DIR / "openapi.yaml"
    raw = spec_files.load(root)
    base_uri = root.parent.as_uri() + "/"

    def resolved_with(resolver: type) -> dict:
        monkeypatch.setattr(json_schema, "RefResolver", resolver)
        return json_schema.resolve_refs(raw, base_uri=base_uri)

    assert resolved_with(connexion_tuning.PointerRefResolver) == resolved_with(original)
    assert "$ref" not in repr(resolved_with(connexion_tuning.PointerRefResolver)["paths"])
    searched = []  # jsonschema's own resolve_fragment: what a pointer no longer costs
    search = original.resolve_fragment
    monkeypatch.setattr(original, "resolve_fragment", lambda *a: searched.append(a) or search(*a))
    resolver = connexion_tuning.PointerRefResolver(base_uri, raw)
    document = {"a": [{"b~c/d": 1}], "e%f": 2}
    assert resolver.resolve_fragment(document, "/a/0/b~0c~1d") == 1
    assert resolver.resolve_fragment(document, "/e%25f") == 2
    assert searched == []
    monkeypatch.setattr(original, "resolve_fragment", search)
    for missing in ("/a/1", "/a/x", "/nothing"):  # still jsonschema's error, word for word
        errors = []
        for cls in (original, connexion_tuning.PointerRefResolver):
            with pytest.raises(Exception) as error:
                cls(base_uri, raw).resolve_fragment(document, missing)
            errors.append((type(error.value), str(error.value)))
        assert errors[0] == errors[1]
