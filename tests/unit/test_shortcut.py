"""The shortcut's rules: what the spec may mark, and which requests it answers itself. That its
answers equal Connexion's is tests/contract/test_tuning_equivalence.py's job."""

from __future__ import annotations

import base64
import copy
import json
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


def test_the_served_spec_marks_both_lookups() -> None:
    from connexion.spec import Specification

    spec = Specification.load(spec_files.SPEC_DIR / "openapi.yaml")
    routes = compile_routes(spec, handler_name, validate=True)
    assert sorted(r.operation_id for r in routes) == ["openaiVideoRetrieve", "videoRetrieve"]


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
    path: str, headers: dict[str, str], *, query: bytes = b"", gateway: Gateway | None = None
) -> tuple[bool, int | None, Any]:
    """(passed on to Connexion, status, body) of one GET through the shortcut."""
    passed: list[bool] = []
    sent: list[dict[str, Any]] = []

    async def connexion(scope: Any, receive: Any, send: Any) -> None:
        passed.append(True)

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "GET",
        "path": path,
        "query_string": query,
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "vidgate.gateway": gateway or Gateway(),
        "vidgate.request": {},
    }
    await Shortcut(connexion, [_route()])(scope, receive, send)
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
