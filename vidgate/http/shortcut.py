"""The hottest reads answered beside Connexion's layers, compiled from the same resolved spec.

Clients poll a job (GET /v1/videos/{id}, and its /openai/v1 twin) far more often than they do
anything else. Through Connexion a lookup cost ~0.45 ms of CPU in-process beside the job's read
(0.65 ms in all): Connexion's stack (routing, security, validation, context, decorators) redone
per request. Here it costs ~0.12-0.19 ms in all, with the read (store/point_reads).

Operations marked `x-vidgate-shortcut: true` in the spec are compiled here at start-up from the
spec Connexion loaded: the path template, each path parameter's schema, the security
alternatives in their order (schemes whose function is an ordinary API key check:
auth.api_key_scheme), the handler the operationId names, and, when responses are validated, the
response schemas.

A request takes the shortcut only when it is plainly valid: a GET with no query string and no
body, every path parameter valid, and a key that authenticates a caller with no request rate to
count. Anything else goes to Connexion untouched, before anything has happened, and gets the
spec's answer there (401, 400, 429...). Both paths answer alike: status, headers and body
(tests/contract/test_tuning_equivalence.py); the rules are tests/unit/test_shortcut.py's.
"""

from __future__ import annotations

import base64
import inspect
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from connexion.context import _receive, _scope
from connexion.exceptions import NonConformingResponseBody
from connexion.json_schema import Draft4ResponseValidator
from connexion.jsonifier import Jsonifier
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from connexion.utils import get_function_from_name
from jsonschema import Draft4Validator, ValidationError
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from ..domain import GatewayError
from . import auth, errors

MARK = "x-vidgate-shortcut"
Credential = Callable[[dict[bytes, bytes]], str | None]
HandlerName = Callable[[dict[str, Any]], str]  # an operation's handler, as the app resolves it
_JSON = Jsonifier()  # what Connexion's AsyncApp serialises handler answers with


class ShortcutError(RuntimeError):
    """The spec marks an operation the shortcut cannot serve exactly as Connexion would."""


def _authorization(headers: dict[bytes, bytes], kind: str) -> str | None:
    """The value of an `Authorization: <kind> <value>` header, split as Connexion splits it."""
    value = headers.get(b"authorization")
    parts = value.decode("latin-1").split(maxsplit=1) if value else []
    return parts[1] if len(parts) == 2 and parts[0].lower() == kind else None


def _bearer(headers: dict[bytes, bytes]) -> str | None:
    return _authorization(headers, "bearer")


def _basic(headers: dict[bytes, bytes]) -> str | None:
    encoded = _authorization(headers, "basic")
    if encoded is None:
        return None
    try:
        _user, password = base64.b64decode(encoded).decode("latin1").split(":", 1)
    except Exception:  # Connexion's 401 for a malformed header: left to it
        return None
    return password


def _header(name: str) -> Credential:
    wanted = name.lower().encode("latin-1")

    def read(headers: dict[bytes, bytes]) -> str | None:
        value = headers.get(wanted)
        return None if value is None else value.decode("latin-1")

    return read


def _credential(name: str, scheme: dict[str, Any]) -> Credential:
    kind = scheme.get("type")
    http = str(scheme.get("scheme", "")).lower()
    function_name = scheme.get(
        {"bearer": "x-bearerInfoFunc", "basic": "x-basicInfoFunc"}.get(http, "x-apikeyInfoFunc"), ""
    )
    if not function_name or not auth.is_api_key_scheme(get_function_from_name(function_name)):
        raise ShortcutError(f"security scheme {name}: its function is not an API key check")
    if kind == "http" and http == "bearer":
        return _bearer
    if kind == "http" and http == "basic":
        return _basic
    if kind == "apiKey" and scheme.get("in") == "header":
        return _header(scheme["name"])
    raise ShortcutError(f"security scheme {name}: {kind} {http or scheme.get('in')} is not supported")


@dataclass(frozen=True)
class Route:
    operation_id: str
    pattern: re.Pattern[str]
    parameters: dict[str, Draft4Validator]
    credentials: tuple[Credential, ...]
    handler: Callable[..., Awaitable[Any]]
    wants_token_info: bool
    responses: dict[str, Draft4Validator] | None  # by status, when responses are validated


def _route(
    template: str, item: dict[str, Any], spec: Any, handler_name: HandlerName, validate: bool
) -> Route:
    operation = item["get"]
    name = operation.get("operationId", template)
    parameters = {p["name"]: p for p in [*item.get("parameters", []), *operation.get("parameters", [])]}
    if any(p["in"] != "path" for p in parameters.values()) or "requestBody" in operation:
        raise ShortcutError(f"{name}: only path parameters can take the shortcut")
    schemes = spec.security_schemes
    alternatives = operation.get("security", spec.get("security")) or []
    if not alternatives or any(len(alt) != 1 for alt in alternatives):
        raise ShortcutError(f"{name}: needs one API key scheme per security alternative")
    credentials = tuple(_credential(s, schemes[s]) for alt in alternatives for s in alt)
    handler = get_function_from_name(handler_name(operation))
    signature = inspect.signature(handler).parameters
    if set(signature) - {*parameters, "user", "token_info"}:
        raise ShortcutError(f"{name}: the handler takes more than path parameters and the caller")
    pattern = re.sub(r"\\\{([^}]+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
    responses = None
    if validate:
        responses = {
            status: Draft4ResponseValidator(
                answer["content"]["application/json"]["schema"],
                format_checker=Draft4Validator.FORMAT_CHECKER,
            )
            for status, answer in operation["responses"].items()
            if "application/json" in answer.get("content", {})
        }
    return Route(
        operation_id=name,
        pattern=re.compile(f"^{pattern}$"),
        parameters={
            key: Draft4Validator(p.get("schema", {}), format_checker=Draft4Validator.FORMAT_CHECKER)
            for key, p in parameters.items()
        },
        credentials=credentials,
        handler=handler,
        wants_token_info="token_info" in signature,
        responses=responses,
    )


def compile_routes(spec: Any, handler_name: HandlerName, *, validate: bool) -> list[Route]:
    """Every GET the resolved spec marks with `x-vidgate-shortcut: true`."""
    return [
        _route(template, item, spec, handler_name, validate)
        for template, item in spec["paths"].items()
        if item.get("get", {}).get(MARK) is True
    ]


class Shortcut:
    """Wraps the Connexion app: marked, plainly valid GETs are answered here, all else passes."""

    def __init__(self, app: ASGIApp, routes: list[Route]) -> None:
        self.app = app
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        plain = scope["type"] == "http" and scope["method"] == "GET"
        if not plain or scope["query_string"] or scope.get("root_path"):
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        for route in self.routes:
            found = route.pattern.match(path)
            if found is not None:
                if not await self._answer(route, found.groupdict(), scope, receive, send):
                    await self.app(scope, receive, send)
                return
        await self.app(scope, receive, send)

    async def _answer(
        self, route: Route, values: dict[str, str], scope: Scope, receive: Receive, send: Send
    ) -> bool:
        """True once answered; False (nothing done yet) sends the request on to Connexion."""
        headers: dict[bytes, bytes] = {}
        for key, value in scope["headers"]:
            headers.setdefault(key, value)  # the first of repeated headers, as Starlette's .get
        if headers.get(b"content-length", b"0") != b"0" or b"transfer-encoding" in headers:
            return False
        if any(not route.parameters[k].is_valid(v) for k, v in values.items()):
            return False
        key = next((k for k in (read(headers) for read in route.credentials) if k is not None), None)
        try:
            caller = await auth.caller_of(scope, key)
            if caller is None or auth.rate_limit(scope["vidgate.gateway"], caller):
                return False
            token_info = auth.admitted(scope, caller)
            arguments: dict[str, Any] = {**values, "user": token_info["sub"]}
            if route.wants_token_info:
                arguments["token_info"] = token_info
            _scope.set(scope)  # the handler reads the request through Connexion's context
            _receive.set(receive)
            response = self._response(route, await route.handler(**arguments))
        except GatewayError as error:  # the app's error handlers, as Connexion would pick them
            response = _starlette(errors.on_gateway_error(ConnexionRequest(scope, receive), error))
        except NonConformingResponseBody as problem:
            response = _starlette(errors.on_problem(ConnexionRequest(scope, receive), problem))
        except Exception as unexpected:
            response = _starlette(errors.on_unexpected(ConnexionRequest(scope, receive), unexpected))
        await response(scope, receive, send)
        return True

    @staticmethod
    def _response(route: Route, answer: Any) -> Response:
        """As Connexion's response decorator makes it of a handler's answer: a Response as it is,
        a (body, status[, headers]) tuple as JSON."""
        if isinstance(answer, Response):
            if route.responses is not None:
                _conform(route, answer.status_code, json.loads(bytes(answer.body)))
            return answer
        data, status, extra = (*answer, {}) if len(answer) == 2 else answer
        if route.responses is not None:
            _conform(route, status, data)
        headers = {**extra, "Content-Type": "application/json"}
        return Response(_JSON.dumps(data), status_code=status, media_type="application/json", headers=headers)


def _conform(route: Route, status: int, data: Any) -> None:
    """What Connexion's response validation does to a JSON answer (validate_responses)."""
    validator = route.responses.get(str(status)) if route.responses else None
    if validator is None:
        return
    try:
        validator.validate(data)
    except ValidationError as invalid:
        raise NonConformingResponseBody(detail=invalid.message) from invalid


def _starlette(response: ConnexionResponse) -> Response:
    """As Connexion's exception middleware turns an error handler's answer into Starlette's."""
    return Response(
        content=response.body,
        status_code=response.status_code,
        media_type=response.mimetype,
        headers=response.headers,
    )
