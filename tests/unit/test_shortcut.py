"""The shortcut's rules: what the spec may mark, and which requests it answers itself. That its
answers equal Connexion's is tests/contract/test_tuning_equivalence.py's job."""

from __future__ import annotations

import base64
import copy
import json
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

import pytest

from vidgate.domain import Caller, NotFound
from vidgate.http import spec_files
from vidgate.http.app import handler_name
from vidgate.http.shortcut import Route, Shortcut, ShortcutError, compile_routes

SCHEMES = {
    "BearerAuth": {"type": "http", "scheme": "bearer", "x-bearerInfoFunc": "handlers.security.bearer_info"},
    "BasicAuth": {"type": "http", "scheme": "basic", "x-basicInfoFunc": "handlers.security.basic_info"},
    "ApiKeyAuth": {
        "type": "apiKey",
        "in": "header",
        "name": "x-api-key",
        "x-apikeyInfoFunc": "handlers.security.api_key_info",
    },
    "AdminKeyAuth": {
        "type": "apiKey",
        "in": "header",
        "name": "x-admin-key",
        "x-apikeyInfoFunc": "handlers.security.admin_key_info",
    },
}
LOOKUP = {
    "get": {
        "operationId": "videoRetrieve",
        "tags": ["Videos"],
        "x-vidgate-shortcut": True,
        "parameters": [{"name": "video_id", "in": "path", "required": True, "schema": {"type": "string"}}],
        "security": [{"BearerAuth": []}, {"BasicAuth": []}, {"ApiKeyAuth": []}],
        "responses": {"200": {"description": "the job"}},
    }
}


pytestmark = pytest.mark.anyio


class Spec(dict):  # type: ignore[type-arg]
    """What compile_routes reads of Connexion's resolved specification."""

    security_schemes = SCHEMES


def spec_with(**changes: Any) -> Spec:
    item = copy.deepcopy(LOOKUP)
    item["get"].update(changes)
    return Spec(paths={"/v1/videos/{video_id}": item})


def test_the_served_spec_marks_both_lookups_and_the_create() -> None:
    from connexion.spec import Specification

    spec = Specification.load(spec_files.SPEC_DIR / "openapi.yaml")
    routes = compile_routes(spec, handler_name, validate=True)
    assert sorted((r.operation_id, r.method) for r in routes) == [
        ("openaiVideoRetrieve", "GET"),
        ("videoGeneration", "POST"),
        ("videoRetrieve", "GET"),
    ]


@pytest.mark.parametrize(
    ("changes", "refusal"),
    [
        ({"parameters": [*LOOKUP["get"]["parameters"], {"name": "x", "in": "query", "schema": {}}]}, "path"),
        ({"security": [{"AdminKeyAuth": []}]}, "not an API key check"),
        ({"security": [{"BearerAuth": [], "ApiKeyAuth": []}]}, "one API key scheme"),
        ({"security": []}, "one API key scheme"),
        ({"operationId": "videoDownload"}, "more than path parameters"),  # it takes `variant`
    ],
)
def test_an_operation_it_cannot_serve_exactly_is_refused_at_start_up(changes: dict, refusal: str) -> None:
    with pytest.raises(ShortcutError, match=refusal):
        compile_routes(spec_with(**changes), handler_name, validate=False)


async def _handler(video_id: str, user: str) -> tuple[dict[str, Any], int]:
    if video_id == "gone":
        raise NotFound(f"no video {video_id}", code="video_not_found")
    return {"id": video_id, "tenant": user}, 200


def _route() -> Route:
    (route,) = compile_routes(spec_with(), handler_name, validate=False)
    return Route(**{**route.__dict__, "handler": _handler})


class Gateway:
    def __init__(self, per_minute: int = 0) -> None:
        self.settings = SimpleNamespace(rate_limit_per_minute=per_minute)
        self.authenticator = self

    async def authenticate(self, key: str | None) -> Caller | None:
        return Caller("tenant-a", "k1") if key == "good" else None


async def _call(
    path: str,
    headers: dict[str, str],
    *,
    query: bytes = b"",
    gateway: Gateway | None = None,
    method: str = "GET",
    body: Sequence[bytes] | Exception = (b"",),
    route: Route | None = None,
) -> tuple[bool, int | None, Any]:
    """(passed on to Connexion, status, body) of one request through the shortcut; a request passed
    on must reach Connexion with its body as it came (or the same failure to read it)."""
    passed: list[bool] = []
    sent: list[dict[str, Any]] = []
    chunks = [] if isinstance(body, Exception) else list(body)

    async def connexion(scope: Any, receive: Any, send: Any) -> None:
        if isinstance(body, Exception):
            with pytest.raises(type(body)):
                await receive()
        else:
            seen = []
            while not seen or seen[-1]["more_body"]:
                seen.append(await receive())
            assert [m["body"] for m in seen] == list(body)
        passed.append(True)

    async def receive() -> dict[str, Any]:
        if isinstance(body, Exception):
            raise body
        return {"type": "http.request", "body": chunks.pop(0), "more_body": len(chunks) > 0}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "query_string": query,
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "vidgate.gateway": gateway or Gateway(),
        "vidgate.request": {},
    }
    await Shortcut(connexion, [route or _route()])(scope, receive, send)
    if passed:
        return True, None, None
    return False, sent[0]["status"], json.loads(sent[1]["body"])


async def test_a_plainly_valid_lookup_is_answered_without_connexion() -> None:
    basic = base64.b64encode(b"anyone:good").decode()
    ways = ({"Authorization": "Bearer good"}, {"Authorization": f"Basic {basic}"}, {"x-api-key": "good"})
    for headers in ways:
        assert await _call("/v1/videos/v1", headers) == (False, 200, {"id": "v1", "tenant": "tenant-a"})


async def test_a_refusal_of_the_core_is_answered_as_the_app_would() -> None:
    passed, status, body = await _call("/v1/videos/gone", {"x-api-key": "good"})
    assert (passed, status, body["error"]["code"]) == (False, 404, "video_not_found")


@pytest.mark.parametrize(
    ("path", "headers", "query", "gateway"),
    [
        ("/v1/videos/v1", {}, b"", None),  # no key: Connexion's 401
        ("/v1/videos/v1", {"x-api-key": "bad"}, b"", None),  # a wrong key
        ("/v1/videos/v1", {"Authorization": "Bearer bad", "x-api-key": "good"}, b"", None),  # first fails
        ("/v1/videos/v1", {"x-api-key": "good"}, b"x=1", None),  # a query: strict validation
        ("/v1/videos/v1", {"x-api-key": "good", "content-length": "2"}, b"", None),  # a body
        ("/v1/videos/v1", {"x-api-key": "good"}, b"", Gateway(per_minute=60)),  # a rate to count
        ("/v1/videos/v1/content", {"x-api-key": "good"}, b"", None),  # another route
    ],
)
async def test_anything_else_goes_to_connexion_untouched(
    path: str, headers: dict[str, str], query: bytes, gateway: Gateway | None
) -> None:
    assert (await _call(path, headers, query=query, gateway=gateway))[0] is True


CREATE = {
    "post": {
        "operationId": "videoGeneration",
        "tags": ["Videos"],
        "x-vidgate-shortcut": True,
        "parameters": [
            {"name": "Idempotency-Key", "in": "header", "schema": {"type": "string", "minLength": 1}}
        ],
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {"schema": {"type": "object"}},
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["prompt"],
                        "properties": {"prompt": {"type": "string"}, "seconds": {"type": "integer"}},
                        "additionalProperties": False,
                    }
                },
            },
        },
        "security": [{"BearerAuth": []}, {"ApiKeyAuth": []}],
        "responses": {"200": {"description": "the job"}},
    }
}


def create_spec(**changes: Any) -> Spec:
    item = copy.deepcopy(CREATE)
    item["post"].update(changes)
    return Spec(paths={"/v1/videos": item})


async def _create(user: str, token_info: dict[str, Any], body: dict | None = None, **form: Any) -> Any:
    return {"made": body, "tenant": user, "key": token_info["caller"].key_id}, 200


def _create_route() -> Route:
    (route,) = compile_routes(create_spec(), handler_name, validate=False)
    return Route(**{**route.__dict__, "handler": _create})


def _post(headers: dict[str, str], body: list[bytes] | Exception, **kw: Any) -> Any:
    json_headers = {"content-type": "application/json", "x-api-key": "good"}
    json_headers["content-length"] = str(sum(map(len, body)) if isinstance(body, list) else 10)
    return _call("/v1/videos", json_headers | headers, method="POST", body=body, route=_create_route(), **kw)


async def test_a_plainly_valid_json_create_is_answered_without_connexion() -> None:
    made = {"made": {"prompt": "a boat", "seconds": 4}, "tenant": "tenant-a", "key": "k1"}
    assert await _post({}, [b'{"prompt": "a boat",', b' "seconds": 4}']) == (False, 200, made)
    keyed = await _post({"Idempotency-Key": "k-1"}, [b'{"prompt": "a boat", "seconds": 4}'])
    assert keyed[:2] == (False, 200)


@pytest.mark.parametrize(
    ("headers", "body"),
    [
        ({"x-api-key": "bad"}, [b'{"prompt": "x"}']),  # a wrong key: Connexion's 401
        ({"x-api-key": ""}, [b'{"prompt": ', b'"x"}']),  # no key: Connexion's 401
        ({}, [b'{"prompt": 1}']),  # not the schema: Connexion's 400 says where
        ({}, [b'{"prompt": "x", "extra": 1}']),  # a property the schema does not have
        ({}, [b'{"prompt": "x"']),  # not JSON
        ({}, [b'\xff{"prompt": "x"}']),  # not UTF-8
        ({}, [b"null"]),  # null
        ({}, [b"[" * 5000 + b"]" * 5000]),  # too deep for the parser
        ({"content-type": "application/json; charset=utf-8"}, [b'{"prompt": "x"}']),
        ({"content-type": "multipart/form-data; boundary=x"}, [b"--x--"]),
        ({"Idempotency-Key": ""}, [b'{"prompt": "x"}']),  # a header parameter its schema refuses
        ({"content-length": "0"}, [b""]),  # no body
        ({}, ValueError("the client went away")),  # reading the body failed: Connexion meets it too
    ],
)
async def test_any_other_create_goes_to_connexion_with_its_body_as_it_came(
    headers: dict[str, str], body: list[bytes] | Exception
) -> None:
    assert (await _post(headers, body))[0] is True


async def test_a_create_by_a_key_with_a_rate_to_count_goes_to_connexion() -> None:
    assert (await _post({}, [b'{"prompt": "x"}'], gateway=Gateway(per_minute=60)))[0] is True


@pytest.mark.parametrize(
    ("changes", "refusal"),
    [
        ({"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {}}}}}, "json"),
        ({"requestBody": {"content": CREATE["post"]["requestBody"]["content"]}}, "required"),
        ({"parameters": [{"name": "n", "in": "header", "schema": {"type": "integer"}}]}, "string header"),
        ({"operationId": "videoRemix"}, "more than path parameters"),  # it takes video_id
    ],
)
def test_a_create_it_cannot_serve_exactly_is_refused_at_start_up(changes: dict, refusal: str) -> None:
    with pytest.raises(ShortcutError, match=refusal):
        compile_routes(create_spec(**changes), handler_name, validate=False)


def test_only_gets_and_posts_can_be_marked() -> None:
    spec = Spec(paths={"/v1/videos/{video_id}": {"delete": {**LOOKUP["get"], "operationId": "videoDelete"}}})
    with pytest.raises(ShortcutError, match="GET and POST"):
        compile_routes(spec, handler_name, validate=False)
