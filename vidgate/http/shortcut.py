"""The hottest operations answered beside Connexion's layers, compiled from the same resolved spec.

Clients poll a job (GET /v1/videos/{id}, and its /openai/v1 twin) far more often than they do
anything else. Through Connexion a lookup cost ~0.45 ms of CPU in-process beside the job's read
(0.65 ms in all): Connexion's stack (routing, security, validation, context, decorators) redone
per request. Here it costs ~0.12-0.19 ms in all, with the read (store/point_reads). A create
(POST /v1/videos with a JSON body) paid the same stack, ~0.5 ms of its ~2.5 ms.

Operations marked `x-vidgate-shortcut: true` in the spec are compiled here at start-up from the
spec Connexion loaded: the path template, each path and header parameter's schema, the JSON
request body's schema (validated with Connexion's own validator class), the security
alternatives in their order (schemes whose function is an ordinary API key check:
auth.api_key_scheme), the handler the operationId names, and, when responses are validated, the
response schemas.

A request takes the shortcut only when it is plainly valid: no query string, every parameter
valid, a key that authenticates a caller with no request rate to count, and either no body (a
GET) or a JSON body (`Content-Type: application/json`, with a Content-Length) that parses and
conforms. Anything else goes to Connexion before anything has happened (a body read here is
handed on as it came), and gets the spec's answer there (401, 400, 429...). Both paths answer
alike: status, headers and body (tests/contract/test_tuning_equivalence.py); the rules are
tests/unit/test_shortcut.py's.
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
from connexion.json_schema import Draft4RequestValidator, Draft4ResponseValidator
from connexion.jsonifier import Jsonifier
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from connexion.utils import get_function_from_name
from jsonschema import Draft4Validator, ValidationError
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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
    method: str
    operation_id: str
    pattern: re.Pattern[str]
    parameters: dict[str, Draft4Validator]
    headers: dict[bytes, Draft4Validator]  # header parameters, by lower-case name
    body: Draft4Validator | None  # the JSON request body's schema (a POST), as Connexion checks it
    credentials: tuple[Credential, ...]
    handler: Callable[..., Awaitable[Any]]
    wants_token_info: bool
    responses: dict[str, Draft4Validator] | None  # by status, when responses are validated


def _validator(schema: dict[str, Any], kind: type[Draft4Validator] = Draft4Validator) -> Draft4Validator:
    return kind(schema, format_checker=Draft4Validator.FORMAT_CHECKER)


def _body(name: str, operation: dict[str, Any]) -> Draft4Validator:
    """The JSON body's validator, as Connexion's JSONRequestBodyValidator makes it."""
    request_body = operation["requestBody"]
    schema = request_body.get("content", {}).get("application/json", {}).get("schema")
    if schema is None or not request_body.get("required") or schema.get("nullable"):
        raise ShortcutError(f"{name}: only a required, non-null application/json body can take the shortcut")
    return _validator(schema, Draft4RequestValidator)


def _route(
    template: str,
    method: str,
    item: dict[str, Any],
    spec: Any,
    handler_name: HandlerName,
    validate: bool,
) -> Route:
    operation = item[method]
    name = operation.get("operationId", template)
    parameters = {p["name"]: p for p in [*item.get("parameters", []), *operation.get("parameters", [])]}
    headers = {n: p for n, p in parameters.items() if p["in"] == "header"}
    if any(p["in"] not in ("path", "header") for p in parameters.values()):
        raise ShortcutError(f"{name}: only path and header parameters can take the shortcut")
    if any(p.get("schema", {}).get("type") != "string" for p in headers.values()):
        raise ShortcutError(f"{name}: only string header parameters can take the shortcut")
    if ("requestBody" in operation) != (method == "post"):
        raise ShortcutError(f"{name}: a GET without a body or a POST with one can take the shortcut")
    body = _body(name, operation) if method == "post" else None
    schemes = spec.security_schemes
    alternatives = operation.get("security", spec.get("security")) or []
    if not alternatives or any(len(alt) != 1 for alt in alternatives):
        raise ShortcutError(f"{name}: needs one API key scheme per security alternative")
    credentials = tuple(_credential(s, schemes[s]) for alt in alternatives for s in alt)
    handler = get_function_from_name(handler_name(operation))
    signature = inspect.signature(handler).parameters
    path_parameters = parameters.keys() - headers.keys()
    takes = {n for n, p in signature.items() if p.kind is not inspect.Parameter.VAR_KEYWORD}
    if takes - {*path_parameters, "user", "token_info", *(["body"] if body else [])}:
        raise ShortcutError(f"{name}: the handler takes more than path parameters, a body and the caller")
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
        method=method.upper(),
        operation_id=name,
        pattern=re.compile(f"^{pattern}$"),
        parameters={key: _validator(parameters[key].get("schema", {})) for key in path_parameters},
        headers={key.lower().encode("latin-1"): _validator(p["schema"]) for key, p in headers.items()},
        body=body,
        credentials=credentials,
        handler=handler,
        wants_token_info="token_info" in signature,
        responses=responses,
    )


def compile_routes(spec: Any, handler_name: HandlerName, *, validate: bool) -> list[Route]:
    """Every operation the resolved spec marks with `x-vidgate-shortcut: true`."""
    marked = [
        (template, method, item)
        for template, item in spec["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and operation.get(MARK) is True
    ]
    if any(method not in ("get", "post") for _, method, _ in marked):
        raise ShortcutError("only GET and POST operations can take the shortcut")
    return [_route(template, method, item, spec, handler_name, validate) for template, method, item in marked]


def _replaying(messages: list[Message], receive: Receive, failure: BaseException | None = None) -> Receive:
    """`receive` as Connexion would have found it: the messages read here first (then, if reading
    failed, the same failure), then whatever comes next."""
    pending = iter(messages)

    async def replay() -> Message:
        nonlocal failure
        for message in pending:
            return message
        if failure is not None:
            raised, failure = failure, None
            raise raised
        return await receive()

    return replay


class Shortcut:
    """Wraps the Connexion app: marked, plainly valid requests are answered here, all else passes."""

    def __init__(self, app: ASGIApp, routes: list[Route]) -> None:
        self.app = app
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["query_string"] or scope.get("root_path"):
            await self.app(scope, receive, send)
            return
        path, method = scope["path"], scope["method"]
        for route in self.routes:
            found = route.pattern.match(path) if route.method == method else None
            if found is not None:
                onward = await self._answer(route, found.groupdict(), scope, receive, send)
                if onward is not None:
                    await self.app(scope, onward, send)
                return
        await self.app(scope, receive, send)

    async def _answer(
        self, route: Route, values: dict[str, str], scope: Scope, receive: Receive, send: Send
    ) -> Receive | None:
        """None once answered; else the request goes on to Connexion with the receive returned
        (`receive` itself, or a replay of the body read here)."""
        headers: dict[bytes, bytes] = {}
        for key, value in scope["headers"]:
            headers.setdefault(key, value)  # the first of repeated headers, as Starlette's .get
        if not _plain(route, values, headers):
            return receive
        key = next((k for k in (read(headers) for read in route.credentials) if k is not None), None)
        arguments: dict[str, Any] = dict(values)
        onward = receive
        if route.body is not None:
            messages: list[Message] = []
            try:
                raw = await _read_body(messages, receive)
            except Exception as failure:  # the client's (408, 413): Connexion meets it as it would
                return _replaying(messages, receive, failure)
            onward = _replaying(messages, receive)
            body = _json(raw)
            if body is None or not route.body.is_valid(body):
                return onward
            arguments["body"] = body
        try:
            caller = await auth.caller_of(scope, key)
            if caller is None or auth.rate_limit(scope["vidgate.gateway"], caller):
                return onward
            token_info = auth.admitted(scope, caller)
            arguments["user"] = token_info["sub"]
            if route.wants_token_info:
                arguments["token_info"] = token_info
            _scope.set(scope)  # the handler reads the request through Connexion's context
            _receive.set(onward)
            response = self._response(route, await route.handler(**arguments))
        except GatewayError as error:  # the app's error handlers, as Connexion would pick them
            response = _starlette(errors.on_gateway_error(ConnexionRequest(scope, receive), error))
        except NonConformingResponseBody as problem:
            response = _starlette(errors.on_problem(ConnexionRequest(scope, receive), problem))
        except Exception as unexpected:
            response = _starlette(errors.on_unexpected(ConnexionRequest(scope, receive), unexpected))
        await response(scope, receive, send)
        return None

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


def _plain(route: Route, values: dict[str, str], headers: dict[bytes, bytes]) -> bool:
    """What can be told before the body: a GET without one, or a POST with a JSON body of a stated
    length; valid path and header parameters."""
    length = headers.get(b"content-length", b"0")
    if b"transfer-encoding" in headers:
        return False
    if route.body is None and length != b"0":
        return False
    if route.body is not None and (
        headers.get(b"content-type") != b"application/json" or not length.isdigit() or not length.lstrip(b"0")
    ):
        return False
    if any(not route.parameters[k].is_valid(v) for k, v in values.items()):
        return False
    return all(
        value is None or schema.is_valid(value.decode("latin-1"))
        for value, schema in ((headers.get(name), schema) for name, schema in route.headers.items())
    )


async def _read_body(messages: list[Message], receive: Receive) -> bytes | None:
    """The whole body (None if the client went away first); every message read is kept in
    `messages`, for a replay."""
    chunks = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _json(raw: bytes | None) -> Any | None:
    """The body parsed as Connexion parses JSON (decoded as UTF-8); None if it is not JSON (or is
    null): Connexion's 400 says why."""
    if raw is None:
        return None
    try:
        return json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):
        return None


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
