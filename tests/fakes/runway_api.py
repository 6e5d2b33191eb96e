"""A loopback fake of Runway's API (api.dev.runwayml.com, `X-Runway-Version: 2024-11-06`).

It follows Runway's API reference (https://docs.dev.runwayml.com/api/) as the official `runwayml`
SDK declares it: the SDK is generated from Runway's OpenAPI document, so what each model takes on
`POST /v1/text_to_video`, `POST /v1/image_to_video` and `POST /v1/video_to_video` (edits) is read
from the SDK's request types (`runwayml.types.*_create_params`, one TypedDict per model) and a body
the SDK would not let through is a 400 here, as at Runway: an unknown model for the endpoint, a
missing required field, a field the model does not take, a value outside its declared set. Creates
answer `{id, estimatedCost}`; `GET /v1/tasks/{id}` walks PENDING -> THROTTLED -> RUNNING (progress
0-1) -> SUCCEEDED with an `output` URL on the fake's CDN (a real MP4), or FAILED with `failure` and
`failureCode` for a prompt holding FAIL; `DELETE /v1/tasks/{id}` is a 204 and the task then reads
CANCELLED. Errors are `{"error": "<human-readable message>"}`
(https://docs.dev.runwayml.com/api-details/errors). Every body it serves is kept (`served`), so the
SDK oracle can parse each with the SDK's response types.
"""

from __future__ import annotations

import ast
import datetime as dt
import functools
import importlib
import inspect
import itertools
import re
import typing
from dataclasses import dataclass
from typing import Any, Literal, get_args, get_origin

import typing_extensions as te
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.providers.gateway import ProviderFake

from .harness import sample_media

KEY = "key_" + "f4ke" * 32  # Runway's keys are key_ and 128 hex characters
VERSION = "2024-11-06"
ENDPOINTS = ("text_to_video", "image_to_video")
EDITS = "video_to_video"  # Runway's video edits (aleph2 and others), declared like the creates
CREDITS_PER_SECOND = 10  # what the fake charges; Runway's real rates are in the catalog


# --- what the SDK declares ------------------------------------------------------------------


@dataclass(frozen=True)
class Declared:
    """One model on one create endpoint, as the SDK's TypedDict for it declares it."""

    endpoint: str
    model: str
    types: dict[str, Any]  # wire name -> its type (Required/Annotated stripped)
    required: frozenset[str]  # wire names
    docs: dict[str, str]  # wire name -> the field's docstring

    def values(self, field: str) -> tuple[Any, ...] | None:
        """The field's declared Literal values (with `int`/`str` for open parts); None if untyped."""
        return literal_values(self.types[field]) if field in self.types else None

    def duration_range(self) -> tuple[int, int] | None:
        """Whole seconds "from 2 to 10" / "between 3 and 10", where the docstring says so."""
        found = RANGE.search(" ".join(self.docs.get("duration", "").split()))
        return (int(found.group(1)), int(found.group(2))) if found else None


RANGE = re.compile(r"(?:from|between) (\d+) (?:to|and) (\d+)")


def _strip(tp: Any) -> tuple[Any, str | None]:
    """The bare type and its wire alias, from Required[Annotated[T, PropertyInfo(alias=...)]]."""
    alias = None
    while True:
        origin = get_origin(tp)
        if origin in (te.Required, te.NotRequired, getattr(typing, "Required", None)):
            tp = get_args(tp)[0]
        elif origin in (te.Annotated, typing.Annotated) or hasattr(tp, "__metadata__"):
            for meta in getattr(tp, "__metadata__", ()):
                alias = getattr(meta, "alias", None) or alias
            tp = get_args(tp)[0]
        else:
            return tp, alias


def literal_values(tp: Any) -> tuple[Any, ...]:
    tp, _ = _strip(tp)
    if get_origin(tp) in (Literal, te.Literal):
        return get_args(tp)
    if get_origin(tp) is typing.Union or str(get_origin(tp)) == "typing.Union":
        return tuple(v for arg in get_args(tp) for v in literal_values(arg))
    return (tp,)


def _field_docs(cls: type) -> dict[str, str]:
    """Attribute docstrings (a string right after an annotated field) from the class source."""
    tree = ast.parse(inspect.getsource(cls))
    body = tree.body[0].body  # type: ignore[attr-defined]
    docs = {}
    for node, after in itertools.pairwise(body):
        named = isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
        if named and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant):
            docs[node.target.id] = str(after.value.value)  # type: ignore[union-attr]
    return docs


@functools.cache
def declared(endpoints: tuple[str, ...] = ENDPOINTS) -> dict[tuple[str, str], Declared]:
    """(endpoint, model) -> what the installed SDK declares for it (the create endpoints unless
    asked for others)."""
    found = {}
    for endpoint in endpoints:
        module = importlib.import_module(f"runwayml.types.{endpoint}_create_params")
        union = getattr(module, "".join(p.title() for p in endpoint.split("_")) + "CreateParams")
        for cls in get_args(union):
            hints = te.get_type_hints(cls, include_extras=True)
            docs_by_name = _field_docs(cls)
            types, docs, required = {}, {}, set()
            for name, tp in hints.items():
                bare, alias = _strip(tp)
                wire = alias or name
                types[wire] = bare
                docs[wire] = docs_by_name.get(name, "")
                if get_origin(tp) in (te.Required, getattr(typing, "Required", None)):
                    required.add(wire)  # (__required_keys__ misses these under string annotations)
            (model,) = literal_values(types["model"])
            found[(endpoint, model)] = Declared(endpoint, model, types, frozenset(required), docs)
    return found


def _fits(value: Any, allowed: tuple[Any, ...]) -> bool:
    """Whether a JSON value is one the declared options admit (structured ones are not checked)."""
    for option in allowed:
        if get_origin(option) is not None:  # Iterable[...] and the like: arrays of objects
            return True
        if isinstance(option, type):
            if option is bool:
                fits = isinstance(value, bool)
            elif option is int:
                fits = isinstance(value, int) and not isinstance(value, bool)
            elif option is float:
                fits = isinstance(value, int | float) and not isinstance(value, bool)
            elif option is str:
                fits = isinstance(value, str)
            else:  # a nested TypedDict
                fits = isinstance(value, dict)
        else:
            fits = value == option and type(value) is type(option)
        if fits:
            return True
    return False


def refusal(endpoint: str, body: Any) -> str | None:
    """Why Runway would refuse this create body, or None."""
    if not isinstance(body, dict):
        return "Validation of body failed: the body must be a JSON object"
    model = body.get("model")
    every = declared((EDITS,) if endpoint == EDITS else ENDPOINTS)
    decl = every.get((endpoint, model))
    if decl is None:
        known = sorted(m for e, m in every if e == endpoint)
        return f"Invalid model {model!r} for /v1/{endpoint}; expected one of " + ", ".join(known)
    for field in sorted(decl.required - body.keys()):
        return f"Validation of body failed: {field} is required"
    for field, value in body.items():
        if field not in decl.types:
            return f"Validation of body failed: {field} is not a field of {model}"
        if not _fits(value, decl.values(field) or ()):
            return f"Validation of body failed: invalid {field} {value!r} for {model}"
        span = decl.duration_range() if field == "duration" and isinstance(value, int) else None
        if span is not None and not span[0] <= value <= span[1]:
            return f"Validation of body failed: duration must be from {span[0]} to {span[1]} for {model}"
        if field in ("promptText", "negativePrompt") and value == "":
            return f"Validation of body failed: {field} must not be empty"
    return None


# --- the fake -------------------------------------------------------------------------------


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class RunwayFake:
    def __init__(self, key: str = KEY, polls_to_complete: int = 4) -> None:
        self.key = key
        self.polls_to_complete = polls_to_complete
        self.tasks: dict[str, dict] = {}
        self.deleted: list[str] = []
        self.served: list[tuple[str, dict]] = []  # (what, body) for every JSON body served
        self.cdn_requests: list[dict] = []
        self._ids = itertools.count(1)

    def latest(self) -> dict:
        return self.tasks[max(self.tasks, key=lambda t: self.tasks[t]["n"])]

    def _serve(self, what: str, body: dict, status: int = 200) -> JSONResponse:
        if status < 400:
            self.served.append((what, body))
        return JSONResponse(body, status)

    def _check(self, request: Request) -> Response | None:
        auth = request.headers.get("authorization", "")
        if auth != f"Bearer {self.key}":
            return JSONResponse({"error": "Invalid API key. Check your Authorization header."}, 401)
        if request.headers.get("x-runway-version") != VERSION:
            return JSONResponse(
                {"error": "The X-Runway-Version header is missing or names an unknown version"}, 400
            )
        return None

    async def create(self, request: Request) -> Response:
        if (refused := self._check(request)) is not None:
            return refused
        if not request.headers.get("content-type", "").startswith("application/json"):
            return JSONResponse({"error": "The body must be JSON (Content-Type: application/json)"}, 400)
        endpoint = request.url.path.rsplit("/", 1)[-1]
        try:
            body = await request.json()
        except ValueError:
            return JSONResponse({"error": "The body is not valid JSON"}, 400)
        if (why := refusal(endpoint, body)) is not None:
            return JSONResponse({"error": why}, 400)
        n = next(self._ids)
        task_id = f"{n:08x}-9c2e-4b7a-8d1f-{n:012x}"
        credits = CREDITS_PER_SECOND * int(body.get("duration") or 5)
        self.tasks[task_id] = {
            "n": n,
            "polls": 0,
            "path": request.url.path,
            "body": body,
            "created_at": _now(),
            "credits": credits,
            "status": None,
        }
        return self._serve(f"{endpoint}.create", {"id": task_id, "estimatedCost": {"credits": credits}})

    def _state(self, task_id: str, task: dict, base_url: str) -> dict:
        out: dict[str, Any] = {"id": task_id, "createdAt": task["created_at"]}
        estimated = {"estimatedCost": {"credits": task["credits"]}}
        if task["status"] == "CANCELLED":
            return out | {"status": "CANCELLED", "cost": {"credits": 0}}
        if "FAIL" in (task["body"].get("promptText") or ""):
            return out | {
                "status": "FAILED",
                "cost": {"credits": 0},
                "failure": "The prompt was flagged by content moderation.",
                "failureCode": "SAFETY.INPUT.TEXT",
            }
        polls = task["polls"]
        if polls >= self.polls_to_complete:
            url = f"{base_url}/cdn/{task_id}.mp4?_jwt=fake"
            return out | {"status": "SUCCEEDED", "cost": {"credits": task["credits"]}, "output": [url]}
        if polls <= 1:
            return out | {"status": "PENDING"} | estimated
        if polls == 2:
            return out | {"status": "THROTTLED"} | estimated
        progress = round((polls - 2) / max(1, self.polls_to_complete - 2), 3)
        return out | {"status": "RUNNING", "progress": progress} | estimated

    async def task(self, request: Request) -> Response:
        if (refused := self._check(request)) is not None:
            return refused
        task_id = request.path_params["task_id"]
        task = self.tasks.get(task_id)
        if task is None:
            return JSONResponse({"error": "Task not found"}, 404)
        if request.method == "DELETE":
            task["status"] = "CANCELLED"  # cancels a running task; deletes a finished one
            self.deleted.append(task_id)
            return Response(status_code=204)
        task["polls"] += 1
        return self._serve("tasks.retrieve", self._state(task_id, task, str(request.base_url).rstrip("/")))

    async def cdn(self, request: Request) -> Response:
        self.cdn_requests.append(dict(request.headers))
        return Response(sample_media()["video"], media_type="video/mp4")

    def app(self) -> Starlette:
        declared(), declared((EDITS,))  # read the SDK's types now, not while a client waits
        return Starlette(
            routes=[
                Route("/v1/text_to_video", self.create, methods=["POST"]),
                Route("/v1/image_to_video", self.create, methods=["POST"]),
                Route(f"/v1/{EDITS}", self.create, methods=["POST"]),
                Route("/v1/tasks/{task_id}", self.task, methods=["GET", "DELETE"]),
                Route("/cdn/{name}", self.cdn, methods=["GET"]),
            ]
        )


def provider_fake(polls_to_complete: int = 4) -> ProviderFake:
    fake = RunwayFake(polls_to_complete=polls_to_complete)
    return ProviderFake(provider="runway", state=fake, app=fake.app(), secrets={"API_KEY": fake.key})
