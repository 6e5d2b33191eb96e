"""What the Dockerfile and compose.yaml say, read as a container runtime reads them: the final
stage's ENV, COPY, ENTRYPOINT, CMD, EXPOSE and HEALTHCHECK; compose's services with its variable
interpolation (`${VAR}`, `${VAR:-default}`, `${VAR:?error}`, `$$`) and YAML merge keys."""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
COMPOSE = ROOT / "compose.yaml"


@dataclass
class Image:
    """The final stage of the Dockerfile."""

    env: dict[str, str] = field(default_factory=dict)
    copies: dict[str, str] = field(default_factory=dict)  # destination -> source in the build context
    entrypoint: list[str] = field(default_factory=list)
    cmd: list[str] = field(default_factory=list)
    expose: list[str] = field(default_factory=list)
    healthcheck: list[str] = field(default_factory=list)
    user: str = ""

    def source_of(self, program: str) -> Path:
        """The file of the build context that a program of the image's PATH was copied from."""
        for dest, source in self.copies.items():
            if dest.rsplit("/", 1)[-1] == program or dest == program:
                return ROOT / source
        raise KeyError(f"{program} is not copied into the image from the build context")


def _instructions(text: str) -> list[tuple[str, str]]:
    joined = re.sub(r"\\\n", " ", text)
    found = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


def _exec_form(args: str) -> list[str]:
    assert args.startswith("["), f"not in exec form (JSON): {args}"
    return json.loads(args)


def read_image(path: Path = DOCKERFILE) -> Image:
    image = Image()
    for word, args in _instructions(path.read_text()):
        if word == "FROM":  # a new stage: only the last one is the image
            image = Image()
        elif word == "ENV":
            for pair in shlex.split(args):
                name, _, value = pair.partition("=")
                image.env[name] = value
        elif word == "COPY" and "--from" not in args:
            *sources, dest = shlex.split(args)
            image.copies[dest] = sources[0]
        elif word == "ENTRYPOINT":
            image.entrypoint = _exec_form(args)
        elif word == "CMD":
            image.cmd = _exec_form(args)
        elif word == "EXPOSE":
            image.expose = args.split()
        elif word == "USER":
            image.user = args
        elif word == "HEALTHCHECK":
            image.healthcheck = _exec_form(args[args.index("CMD") + 3 :].strip())
    return image


_VARIABLE = re.compile(r"\$(?:\$|\{(?P<braced>[^}]*)\}|(?P<plain>[A-Za-z_][A-Za-z0-9_]*))")


def interpolate(text: str, variables: dict[str, str]) -> str:
    def one(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        if match.group("plain"):
            return variables.get(match.group("plain"), "")
        name, op, arg = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)(:?[-?]|)(.*)", match.group("braced")).groups()
        value = variables.get(name)
        unset = value is None or (op.startswith(":") and value == "")
        if op.endswith("?") and unset:
            raise KeyError(f"compose needs {name}: {arg}")
        if op.endswith("-") and unset:
            return interpolate(arg, variables)
        return value or ""

    return _VARIABLE.sub(one, text)


def _interpolated(node: Any, variables: dict[str, str]) -> Any:
    if isinstance(node, str):
        return interpolate(node, variables)
    if isinstance(node, dict):
        return {k: _interpolated(v, variables) for k, v in node.items()}
    if isinstance(node, list):
        return [_interpolated(v, variables) for v in node]
    return node


def read_compose(variables: dict[str, str], path: Path = COMPOSE) -> dict[str, Any]:
    """compose.yaml as `docker compose config` would give it with these variables (the shell's or
    .env's): a needed one missing is a KeyError, as compose refuses to start without it."""
    return _interpolated(yaml.safe_load(path.read_text()), variables)


def built_services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The services that run the image built from the Dockerfile beside compose.yaml."""
    return {name: s for name, s in compose["services"].items() if s.get("build") in (".", {"context": "."})}


def environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: "" if v is None else str(v) for k, v in env.items()}
