"""`vidgate serve` and `vidgate migrate`: the commands that run the gateway itself (the others talk to
a running gateway through the generated client)."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.console import Console

from ..service import ensure_dev_admin_key, ensure_dev_key
from ..telemetry.logging import configure_logging
from .settings import check_database_url, load_settings

err = Console(stderr=True)


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the API (migrating the database first) until SIGTERM or Ctrl-C."""
    import uvicorn

    from ..http import create_app

    settings = load_settings()
    configure_logging(settings.log_level, settings.log_json)
    check_database_url(settings.resolved_database_url)
    dev_admin_key = ensure_dev_admin_key(settings)  # before the dev API key: it looks at api_keys
    dev_key = ensure_dev_key(settings)
    if dev_key:
        settings = settings.model_copy(update={"api_keys": [dev_key]})
        err.print(
            f"[bold yellow]No API key configured: using the development key[/bold yellow] "
            f"{dev_key}\n(kept in {settings.data_dir}/dev-api-key; set VIDGATE_API_KEYS to use your own)"
        )
    if dev_admin_key:
        settings = settings.model_copy(update={"admin_keys": [dev_admin_key]})
        err.print(
            f"and the development admin key (x-admin-key) in {settings.data_dir}/dev-admin-key; "
            "set VIDGATE_ADMIN_KEYS to use your own"
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


def migrate() -> None:
    """Apply pending database migrations and exit."""
    from ..store import migrate as run_migrations
    from ..store import open_engine

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
