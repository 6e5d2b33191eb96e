"""The CLI's way to a running gateway: the generated client, with the key from an option, the
environment or the development key file, and one clean exit for every failure."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from rich.console import Console
from vidgate_client import AuthenticatedClient
from vidgate_client.models import BifrostError
from vidgate_client.types import Response

out = Console()
err = Console(stderr=True)

Url = Annotated[str, typer.Option(envvar="VIDGATE_URL", help="The gateway's base URL.")]
Key = Annotated[str | None, typer.Option(envvar="VIDGATE_KEY", help="API key (default: data/dev-api-key).")]
AdminKey = Annotated[
    str | None, typer.Option(envvar="VIDGATE_ADMIN_KEY", help="Admin key (default: data/dev-admin-key).")
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
DEFAULT_URL = "http://127.0.0.1:8000"


def _dev_key(name: str, what: str, option: str, env: str) -> str:
    dev = Path(os.environ.get("VIDGATE_DATA_DIR", "data")) / name
    if not dev.is_file():
        err.print(f"[red]no {what}:[/red] pass {option} or set {env}")
        raise typer.Exit(2)
    return dev.read_text().strip()


def user_client(url: str, key: str | None) -> AuthenticatedClient:
    key = key or _dev_key("dev-api-key", "API key", "--key", "VIDGATE_KEY")
    return AuthenticatedClient(base_url=url, token=key, timeout=60)


def admin_client(url: str, key: str | None) -> AuthenticatedClient:
    key = key or _dev_key("dev-admin-key", "admin key", "--admin-key", "VIDGATE_ADMIN_KEY")
    return AuthenticatedClient(base_url=url, token=key, prefix="", auth_header_name="x-admin-key", timeout=60)


def call(response_fn, *args: Any, **kwargs: Any) -> Any:  # type: ignore[no-untyped-def]
    """Run one API call; a BifrostError or an unreachable gateway ends the command cleanly."""
    try:
        response: Response[Any] = response_fn(*args, **kwargs)
    except httpx.HTTPError as exc:
        err.print(f"[red]cannot reach the gateway:[/red] {exc}")
        raise typer.Exit(2) from exc
    if isinstance(response.parsed, BifrostError) or response.status_code >= 400:
        parsed = response.parsed
        message = parsed.error.message if isinstance(parsed, BifrostError) else response.content[:300]
        err.print(f"[red]error {response.status_code}:[/red] {message}")
        raise typer.Exit(1)
    return response
