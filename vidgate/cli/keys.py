"""`vidgate keys create|list|revoke`: API keys kept in the store (hashed; shown once at creation)."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import asdict
from typing import Annotated

import typer
from rich.console import Console

from .settings import check_database_url, load_settings

err = Console(stderr=True)

keys = typer.Typer(help="API keys kept in the store (hashed; shown once at creation).", no_args_is_help=True)


def _with_keys(action):  # type: ignore[no-untyped-def]
    """Run `action(ApiKeyStore)` against the configured database (migrated first)."""
    from ..store import ApiKeyStore, open_engine
    from ..store import migrate as run_migrations

    settings = load_settings()
    check_database_url(settings.resolved_database_url)

    async def run():  # type: ignore[no-untyped-def]
        engine = open_engine(settings.resolved_database_url)
        try:
            await run_migrations(engine)
            return await action(ApiKeyStore(engine))
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
