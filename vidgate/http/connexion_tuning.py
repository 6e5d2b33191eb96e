"""Connexion 3.3 redoes per request what depends only on the spec; this makes it do it once.

py-spy on GET /v1/videos/{id} (bench/) showed the time going to: the handler re-decorated on every
call (`AsyncOperation.fn`, an uncached property, then `ASGIDecorator` building its decorator chain
and URI parser again inside), `inspect.signature` of the security function on every call, a JSON
Schema validator built (after a deepcopy of the parameter) for every parameter of every request,
the request body's validator built again for every POST, and regex renaming of the same parameter
names. Each fix below caches a pure function of the spec or of a function object, so validation
and security behave exactly as before; the contract tests (schemathesis) run against the tuned
app. The spec's YAML is parsed with libyaml's C parser (see spec_files), which also halves
start-up, and references into the spec's other files are followed as JSON pointers
(PointerRefResolver).
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from connexion import json_schema as connexion_json_schema
from connexion import spec as connexion_spec
from connexion.apps.asynchronous import AsyncOperation
from connexion.context import receive, scope
from connexion.datastructures import MediaTypeDict
from connexion.decorators import parameter as parameter_decorators
from connexion.decorators.main import ASGIDecorator
from connexion.json_schema import FileHandler
from connexion.operations import OpenAPIOperation
from connexion.security import AbstractSecurityHandler
from connexion.utils import is_null, is_nullable
from connexion.validators import VALIDATOR_MAP, JSONRequestBodyValidator
from connexion.validators.parameter import ParameterValidator
from jsonschema import Draft4Validator, ValidationError

from . import spec_files

try:  # where jsonschema keeps the draft 4 format checker, as connexion itself imports it
    from jsonschema import draft4_format_checker
except ImportError:  # pragma: no cover - newer jsonschema
    draft4_format_checker = Draft4Validator.FORMAT_CHECKER


class CachedParameterValidator(ParameterValidator):
    """Compiles each parameter's schema once (per parameter dict of the loaded spec)."""

    _compiled: dict[int, tuple[dict[str, Any], Draft4Validator]] = {}

    @staticmethod
    def _validator(param: dict[str, Any]) -> Draft4Validator:
        entry = CachedParameterValidator._compiled.get(id(param))
        if entry is None or entry[0] is not param:  # the dict itself is kept, so its id stays its own
            schema = copy.deepcopy(param)
            validator = Draft4Validator(schema.get("schema", schema), format_checker=draft4_format_checker)
            entry = CachedParameterValidator._compiled[id(param)] = (param, validator)
        return entry[1]

    @staticmethod
    def validate_parameter(
        parameter_type: str, value: Any, param: dict[str, Any], param_name: str | None = None
    ) -> str | None:
        if value is None or (is_nullable(param) and is_null(value)):  # rare: the original's rules
            return ParameterValidator.validate_parameter(parameter_type, value, param, param_name)
        try:
            CachedParameterValidator._validator(param).validate(value)
        except ValidationError as exception:
            return str(exception)
        return None


class CachedJSONBodyValidator(JSONRequestBodyValidator):
    """Builds the JSON Schema validator of a request body once per schema (connexion: per request,
    a few milliseconds for the create body)."""

    _compiled: dict[int, tuple[dict[str, Any], Any]] = {}

    @property
    def _validator(self) -> Any:
        entry = self._compiled.get(id(self._schema))
        if entry is None or entry[0] is not self._schema:  # the operation's own dict, kept alive
            entry = self._compiled[id(self._schema)] = (self._schema, super()._validator)
        return entry[1]


def validator_map() -> dict[str, Any]:
    """For add_api: connexion's validators, with the cached ones in place."""
    body = MediaTypeDict(VALIDATOR_MAP["body"])
    body["*/*json"] = CachedJSONBodyValidator
    return {"parameter": CachedParameterValidator, "body": body}


@functools.lru_cache(maxsize=4096)
def _function_arguments(function: Callable[..., Any]) -> tuple[frozenset[str], bool]:
    from connexion.utils import inspect_function_arguments

    names, has_kwargs = inspect_function_arguments(function)
    return frozenset(names), has_kwargs


def _accepts_kwarg(func: Callable[..., Any], keyword: str) -> bool:
    names, has_kwargs = _function_arguments(func)
    return has_kwargs or keyword in names


def _asgi_decorator_call(self: ASGIDecorator, function: Callable[..., Any]) -> Callable[..., Any]:
    """ASGIDecorator.__call__, but the decorator chain and URI parser are built on the first call:
    the instance belongs to one operation (see _decorated_fn), so they never change."""
    built: list[Any] = []

    @functools.wraps(function)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not built:
            built.extend((self.uri_parser, self.decorate(function)))
        uri_parser, decorated = built
        request = self.framework.get_request(uri_parser=uri_parser, scope=scope, receive=receive)
        return await decorated(request)

    return wrapper


_UNCACHED_FN = AsyncOperation.fn
_applied = False


def _decorated_fn(self: AsyncOperation) -> Callable[..., Any]:
    fn = self.__dict__.get("_vidgate_decorated")
    if fn is None:
        fn = self.__dict__["_vidgate_decorated"] = _UNCACHED_FN.fget(self)  # type: ignore[union-attr]
    return fn


_UNCACHED_BODY_DEFINITION = OpenAPIOperation.body_definition


def _body_definition(self: OpenAPIOperation, content_type: str | None = None) -> dict[str, Any]:
    """OpenAPIOperation.body_definition once per operation and media type (a pure function of the
    spec; its callers only read it)."""
    cache = self.__dict__.setdefault("_vidgate_body_definitions", {})
    found = cache.get(content_type)
    if found is None:
        found = cache[content_type] = _UNCACHED_BODY_DEFINITION(self, content_type)
    return found


class _FastYaml:
    """What connexion.spec uses of PyYAML (safe_load only), on libyaml's C parser."""

    safe_load = staticmethod(spec_files.parse)


def _load_referenced_file(self: FileHandler, uri: str) -> Any:
    """connexion's FileHandler (external `$ref`s), on the C parser, cached per file."""
    return copy.deepcopy(spec_files.load(Path(self._uri_to_path(uri))))


class PointerRefResolver(connexion_json_schema.RefResolver):  # type: ignore[misc]
    """jsonschema's RefResolver, which connexion's resolve_refs uses for references into other
    files, but a fragment that is a JSON pointer is followed as one. jsonschema first searches the
    whole document for an `$anchor` or `$id` equal to the fragment (four walks of the file per
    reference: ~0.15 s of every start with our spec split into files); in an OpenAPI document
    neither can equal a pointer. Anything the walk does not find goes to jsonschema's own."""

    def resolve_fragment(self, document: Any, fragment: str) -> Any:
        if fragment.startswith("/"):
            found = document
            try:
                for part in unquote(fragment[1:]).split("/"):
                    part = part.replace("~1", "/").replace("~0", "~")
                    found = found[int(part)] if isinstance(found, list) else found[part]
            except (LookupError, TypeError, ValueError):
                pass  # its error, as jsonschema words it
            else:
                return found
        return super().resolve_fragment(document, fragment)


def apply() -> None:
    """Install the caches (idempotent). Called by create_app before the API is added."""
    global _applied
    if _applied:
        return
    connexion_spec.yaml = _FastYaml  # type: ignore[assignment]
    FileHandler.__call__ = _load_referenced_file  # type: ignore[method-assign]
    connexion_json_schema.RefResolver = PointerRefResolver  # type: ignore[misc]
    AsyncOperation.fn = property(_decorated_fn)
    OpenAPIOperation.body_definition = _body_definition  # type: ignore[method-assign]
    ASGIDecorator.__call__ = _asgi_decorator_call  # type: ignore[method-assign]
    AbstractSecurityHandler._accepts_kwarg = staticmethod(_accepts_kwarg)  # type: ignore[method-assign]
    parameter_decorators.pythonic = functools.lru_cache(maxsize=4096)(parameter_decorators.pythonic)
    _applied = True
