"""`vidgate serve` and `vidgate migrate`: the commands that run the gateway itself (the others talk to
a running gateway through the generated client)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sys
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from ..config import Settings
from ..service import ensure_dev_admin_key, ensure_dev_key
from ..telemetry.logging import configure_logging
from ..telemetry.tracing import configure_tracing
from .processes import STARTUP_FAILURE, Supervisor, beating, listening_sockets
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
        run_worker_processes(plan.processes, settings.hang_seconds)
        return
    settings = _with_dev_keys(settings, announce=True)
    err.print(
        f"vidgate ({plan.role.value}, {plan.processes} process(es)) listening on http://{host}:{port}  "
        f"(docs: http://{host}:{port}/docs)"
    )
    if plan.processes == 1:
        _observe(settings, plan.role.value)
        if not _serve_http(_app(settings, plan), host=host, port=port):
            raise typer.Exit(STARTUP_FAILURE)
        return
    try:
        sockets = listening_sockets(host, port, plan.processes)
    except OSError as exc:
        err.print(f"[red]cannot listen on {host}:{port}:[/red] {exc.strerror or exc}")
        raise typer.Exit(2) from exc

    def close_sockets() -> None:  # the processes hold their own copies until they stop
        for sock in sockets:
            sock.close()

    per_process = [(sock,) for sock in sockets]
    _supervise(_http_child, per_process, "vidgate-http", settings.hang_seconds, close_sockets)


def uvicorn_config(app: Any, *, host: str = "", port: int = 0) -> Any:
    """How each HTTP process serves: uvicorn's httptools protocol, writing each response's head
    with its body, and the responses of one turn of the loop together (http/one_write.py)."""
    import uvicorn

    from ..http.one_write import OneWriteHttpToolsProtocol

    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http=OneWriteHttpToolsProtocol,
        server_header=False,
        access_log=False,
        log_level="warning",
        timeout_graceful_shutdown=10,
    )


def _serve_http(
    app: Any, *, host: str = "", port: int = 0, sock: socket.socket | None = None, heartbeat: Any = None
) -> bool:
    """Serves `app` on `host`:`port` or on the listening `sock` until SIGTERM or SIGINT (draining
    open requests), its loop beating on `heartbeat` if supervised; False if it never started."""
    import uvicorn

    config = uvicorn_config(app, host=host, port=port)
    server = uvicorn.Server(config)
    with asyncio.Runner(loop_factory=config.get_loop_factory()) as runner:  # uvloop, as uvicorn picks
        serving = server.serve(sockets=None if sock is None else [sock])
        runner.run(beating(heartbeat, serving, ready=lambda: server.started))
    return server.started


def _http_child(sock: socket.socket, *, heartbeat: Any) -> None:
    """One of several HTTP processes: the settings, role and development keys as the supervising
    `vidgate serve` resolved them, through the environment."""
    from ..gateway import plan_processes

    _die_with_parent()
    try:
        settings = _with_dev_keys(load_settings(), announce=False)
        plan = plan_processes(settings.role, settings.workers, settings.resolved_database_url)
        _observe(settings, plan.role.value)
        app = _app(settings, plan)
    except Exception as exc:
        err.print(f"[red]cannot start:[/red] {type(exc).__name__}: {escape(str(exc))}")
        sys.exit(STARTUP_FAILURE)
    if not _serve_http(app, sock=sock, heartbeat=heartbeat):
        sys.exit(STARTUP_FAILURE)


def _supervise(
    target: Callable[..., None],
    args: list[tuple[Any, ...]],
    name: str,
    hang_seconds: float,
    on_stop: Callable[[], None] = lambda: None,
) -> None:
    report = partial(err.print, markup=False)
    supervisor = Supervisor(
        target, args, name=name, on_stop=on_stop, report=report, hang_seconds=hang_seconds
    )
    if code := supervisor.run():
        raise typer.Exit(code)


def _worker_child(*, heartbeat: Any) -> None:
    _die_with_parent()
    _worker_process(heartbeat)


def _worker_process(heartbeat: Any = None) -> None:
    from ..gateway.background import WorkerStartError, serve_jobs

    settings = load_settings()
    _observe(settings, "worker")

    async def work() -> None:
        started = asyncio.Event()
        await beating(heartbeat, serve_jobs(settings, started), ready=started.is_set)

    try:
        asyncio.run(work())
    except WorkerStartError as exc:
        err.print(f"[red]cannot start the job worker:[/red] {escape(str(exc))}")
        raise SystemExit(STARTUP_FAILURE) from exc


def run_worker_processes(count: int, hang_seconds: float) -> None:
    """`count` worker processes, started again if one dies; SIGTERM or Ctrl-C stops them all
    gracefully (running jobs hand their leases back)."""
    if count == 1:
        _worker_process()
        return
    _supervise(_worker_child, [() for _ in range(count)], "vidgate-worker", hang_seconds)


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
