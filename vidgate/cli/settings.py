"""Reading the settings for a command, and refusing a database URL that cannot work, in one line."""

from __future__ import annotations

import typer
from rich.console import Console

from ..config import Settings

err = Console(stderr=True)


def load_settings() -> Settings:
    try:
        return Settings()
    except Exception as exc:  # a bad config file or variable: say which, don't trace back
        err.print(f"[red]configuration error:[/red] {exc}")
        raise typer.Exit(2) from exc


def check_database_url(url: str) -> None:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        make_url(url).get_dialect()
    except (ArgumentError, NoSuchModuleError) as exc:
        err.print(
            f"[red]VIDGATE_DATABASE_URL is not a database URL this gateway can use[/red]: {exc}. "
            "Use sqlite+aiosqlite:///path/to/vidgate.db or postgresql+asyncpg://user@host/db"
        )
        raise typer.Exit(2) from exc
