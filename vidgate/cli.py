"""The `vidgate` command: run the server, apply migrations."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import asdict
from typing import Annotated

import typer
from rich.console import Console

from .auth import ensure_dev_key
from .cli_videos import register as register_video_commands
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


keys = typer.Typer(help="API keys kept in the store (hashed; shown once at creation).", no_args_is_help=True)
app.add_typer(keys, name="keys")


def _with_keys(action):  # type: ignore[no-untyped-def]
    """Run `action(ApiKeys)` against the configured database (migrated first)."""
    from .store import open_engine
    from .store.engine import migrate as run_migrations
    from .store.keys import ApiKeys

    settings = load_settings()
    check_database_url(settings.resolved_database_url)

    async def run():  # type: ignore[no-untyped-def]
        engine = open_engine(settings.resolved_database_url)
        try:
            await run_migrations(engine)
            return await action(ApiKeys(engine))
        finally:
            await engine.dispose()

    return asyncio.run(run())


@keys.command("create")
def keys_create(
    tenant: Annotated[str, typer.Option(help="Who owns the jobs made with this key.")],
    name: Annotated[str, typer.Option(help="A label, e.g. the app or person using it.")] = "default",
    rpm: Annotated[int | None, typer.Option(help="Requests per minute for this key.")] = None,
    max_jobs: Annotated[int | None, typer.Option(help="Queued + in-progress jobs at once.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Make a key; it is printed once and stored only as a hash."""
    plain, stored = _with_keys(
        lambda k: k.create(tenant, name, requests_per_minute=rpm, max_active_jobs=max_jobs)
    )
    if as_json:
        print(json.dumps({"key": plain, "id": stored.id, "tenant": stored.tenant, "name": stored.name}))
        return
    err.print(f"key {stored.id} for tenant {tenant!r} (shown once, keep it safe):")
    print(plain)


@keys.command("list")
def keys_list(
    tenant: Annotated[str | None, typer.Option()] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List stored keys (ids, never the keys)."""
    from rich.table import Table

    found = _with_keys(lambda k: k.list(tenant))
    if as_json:
        print(json.dumps([{**asdict(k)} for k in found]))
        return
    table = Table("id", "tenant", "name", "created", "revoked", "rpm", "max jobs")
    for k in found:
        table.add_row(
            k.id,
            k.tenant,
            k.name,
            _when(k.created_at),
            _when(k.revoked_at),
            str(k.requests_per_minute or ""),
            str(k.max_active_jobs or ""),
        )
    Console().print(table)


@keys.command("revoke")
def keys_revoke(key_id: str) -> None:
    """Revoke a key: it stops working within a second on every instance."""
    if not _with_keys(lambda k: k.revoke(key_id)):
        err.print(f"[red]no active key {key_id}[/red]")
        raise typer.Exit(1)
    err.print(f"revoked {key_id}")


def _when(ts: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.gmtime(ts)) if ts else ""


register_video_commands(app)

if __name__ == "__main__":
    app()
