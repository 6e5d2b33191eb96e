"""`vidgate serve` and `vidgate migrate`: the commands that run the gateway itself (the others talk to
a running gateway through the generated client)."""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import signal
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from ..config import Settings
from ..service import ensure_dev_admin_key, ensure_dev_key
from ..telemetry.logging import configure_logging
from ..telemetry.tracing import configure_tracing
from .settings import check_database_url, load_settings

if TYPE_CHECKING:
    from ..gateway import ProcessPlan

err = Console(stderr=True)


def _with_dev_keys(settings: Settings, *, announce: bool) -> Settings:
    """With no key configured, the development keys kept in the data dir (made once)."""
    dev_admin_key = ensure_dev_admin_key(settings)  # before the dev API key: it looks at api_keys
    dev_key = ensure_dev_key(settings)
    if dev_key:
        settings = settings.model_copy(update={"api_keys": [dev_key]})
        if announce:
            err.print(
                f"[bold yellow]No API key configured: using the development key[/bold yellow] {dev_key}\n"
                f"(kept in {settings.data_dir}/dev-api-key; set VIDGATE_API_KEYS to use your own)"
            )
    if dev_admin_key:
        settings = settings.model_copy(update={"admin_keys": [dev_admin_key]})
        if announce:
            err.print(
                f"and the development admin key (x-admin-key) in {settings.data_dir}/dev-admin-key; "
                "set VIDGATE_ADMIN_KEYS to use your own"
            )
    return settings


def _observe(settings: Settings, role: str) -> None:
    """This process's logs, and its traces when configured (each process exports its own)."""
    configure_logging(settings.log_level, settings.log_json)
    if settings.telemetry.enabled:
        configure_tracing(
            role=role,
            service_name=settings.telemetry.service_name,
            endpoint=settings.telemetry.otlp_endpoint,
        )


def _die_with_parent() -> None:
    """A worker process of `--workers N` gets SIGTERM (and stops gracefully, handing its jobs back)
    when its supervisor dies, even of SIGKILL: no orphan keeps serving or holding leases (Linux)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
    if os.getppid() == 1:  # the parent died before the line above ran
        os.kill(os.getpid(), signal.SIGTERM)


def app_factory() -> Any:
    """The app of one of several HTTP processes (uvicorn's workers import it): the settings, role
    and development keys as the parent `vidgate serve` resolved them, through the environment."""
    from ..gateway import plan_processes

    _die_with_parent()
    settings = _with_dev_keys(load_settings(), announce=False)
    plan = plan_processes(settings.role, settings.workers, settings.resolved_database_url)
    _observe(settings, plan.role.value)
    return _app(settings, plan)


def _app(settings: Settings, plan: ProcessPlan) -> Any:
    from ..http import create_app

    return create_app(settings, validate_responses=settings.validate_responses, plan=plan)


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    role: Annotated[
        str | None,
        typer.Option(
            help="all: HTTP and the job worker (on its own thread); api: HTTP only; worker: jobs only. "
            "[default: VIDGATE_ROLE or all]"
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            help="Processes of the role on this host. [default: VIDGATE_WORKERS, else the cores with "
            "PostgreSQL, 1 with SQLite]"
        ),
    ] = None,
) -> None:
    """Serve the API and/or work the jobs (migrating the database first) until SIGTERM or Ctrl-C."""
    from ..gateway import RolePlanError, plan_processes

    settings = load_settings()
    configure_logging(settings.log_level, settings.log_json)
    check_database_url(settings.resolved_database_url)
    try:
        plan = plan_processes(
            role or settings.role,
            workers if workers is not None else settings.workers,
            settings.resolved_database_url,
        )
    except RolePlanError as exc:
        err.print(f"[red]cannot serve:[/red] {exc}")
        raise typer.Exit(2) from exc
    # Child processes read the same plan from the environment.
    os.environ["VIDGATE_ROLE"], os.environ["VIDGATE_WORKERS"] = plan.role.value, str(plan.processes)
    if not plan.serves_http:
        err.print(f"vidgate working jobs in {plan.processes} process(es) (no HTTP)")
        run_worker_processes(plan.processes)
        return
    settings = _with_dev_keys(settings, announce=True)
    import uvicorn

    err.print(
        f"vidgate ({plan.role.value}, {plan.processes} process(es)) listening on http://{host}:{port}  "
        f"(docs: http://{host}:{port}/docs)"
    )
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "server_header": False,
        "access_log": False,
        "log_level": "warning",
        "timeout_graceful_shutdown": 10,
    }
    if plan.processes == 1:
        _observe(settings, plan.role.value)
        uvicorn.run(_app(settings, plan), **options)
    else:
        uvicorn.run("vidgate.cli.server:app_factory", factory=True, workers=plan.processes, **options)


def _worker_child() -> None:
    _die_with_parent()
    _worker_process()


def _worker_process() -> None:
    from ..gateway.background import serve_jobs

    settings = load_settings()
    _observe(settings, "worker")
    asyncio.run(serve_jobs(settings))


def run_worker_processes(count: int) -> None:
    """`count` worker processes (one runs here); SIGTERM or Ctrl-C stops them all gracefully."""
    if count == 1:
        _worker_process()
        return
    context = multiprocessing.get_context("spawn")
    children = [context.Process(target=_worker_child, name=f"vidgate-worker-{i}") for i in range(count)]
    for child in children:
        child.start()

    def forward(signum: int, _frame: object) -> None:
        for child in children:
            if child.pid is not None and child.is_alive():
                os.kill(child.pid, signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    for child in children:
        child.join()


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
