"""The `vidgate` command: run the server, apply migrations."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.console import Console

from .auth import ensure_dev_key
from .config import Settings
from .logs import configure_logging

app = typer.Typer(help="vidgate: one HTTP API for AI video generation.", no_args_is_help=True)
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


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the API (migrating the database first) until SIGTERM or Ctrl-C."""
    import uvicorn

    from .app import create_app

    settings = load_settings()
    configure_logging(settings.log_level, settings.log_json)
    check_database_url(settings.resolved_database_url)
    dev_key = ensure_dev_key(settings)
    if dev_key:
        settings = settings.model_copy(update={"api_keys": [dev_key]})
        err.print(
            f"[bold yellow]No API key configured: using the development key[/bold yellow] "
            f"{dev_key}\n(kept in {settings.data_dir}/dev-api-key; set VIDGATE_API_KEYS to use your own)"
        )
    err.print(f"vidgate listening on http://{host}:{port}  (docs: http://{host}:{port}/docs)")
    uvicorn.run(
        create_app(settings, validate_responses=settings.validate_responses),
        host=host,
        port=port,
        server_header=False,
        access_log=False,
        log_level="warning",
        timeout_graceful_shutdown=10,
    )


@app.command()
def migrate() -> None:
    """Apply pending database migrations and exit."""
    from .store import open_engine
    from .store.engine import migrate as run_migrations

    settings = load_settings()
    check_database_url(settings.resolved_database_url)

    async def run() -> None:
        engine = open_engine(settings.resolved_database_url)
        try:
            await run_migrations(engine)
        finally:
            await engine.dispose()

    try:
        asyncio.run(run())
    except Exception as exc:  # unreachable or unknown database: one clear line, no traceback
        err.print(
            f"[red]cannot migrate the database[/red] ({settings.resolved_database_url.split('@')[-1]}): "
            f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        )
        raise typer.Exit(2) from exc
    err.print("database is up to date")


if __name__ == "__main__":
    app()
