"""Fixtures: a live server (real process, real SQLite, real renders) and clients for it."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from vidgate_client import AuthenticatedClient

from tests.support.server import ServerProcess

KEY_ALPHA = "vg-test-alpha-0123456789"
KEY_ALPHA_2 = "vg-test-alpha-second-key"
KEY_BETA = "vg-test-beta-9876543210"
KEY_PAGING = "vg-test-paging-tenant-key"  # a tenant only the paging test uses

ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    data = tmp_path_factory.mktemp("server")
    config = data / "vidgate.yaml"
    config.write_text(
        f"tenants:\n  alpha: [{KEY_ALPHA}, {KEY_ALPHA_2}]\n  beta: [{KEY_BETA}]\n  paging: [{KEY_PAGING}]\n"
        "render:\n  concurrency: 2\n"
    )
    proc = ServerProcess(data, env={"VIDGATE_CONFIG": str(config), "VIDGATE_MAX_BODY_BYTES": "65536"})
    proc.start()
    yield proc
    code = proc.stop()
    # uvicorn re-raises SIGTERM after its clean shutdown, so the exit status is -15.
    assert code in (0, -signal.SIGTERM), f"exit {code} on SIGTERM:\n{proc.log()[-3000:]}"
    assert any(e["event"] == "stopped" for e in proc.events()), "no clean shutdown logged"


@pytest.fixture
def client(server: ServerProcess) -> Iterator[AuthenticatedClient]:
    with AuthenticatedClient(base_url=server.url, token=KEY_ALPHA, timeout=30) as c:
        yield c


@pytest.fixture
def beta_client(server: ServerProcess) -> Iterator[AuthenticatedClient]:
    with AuthenticatedClient(base_url=server.url, token=KEY_BETA, timeout=30) as c:
        yield c


_WORKER_AUDITS = pytest.StashKey[list]()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: object, error: object) -> None:
    """pytest-xdist: each worker's log audit comes back to the controller, which judges the run
    (a worker's own exit status does not decide the run's)."""
    found = getattr(node, "workeroutput", {}).get("log_audit")
    if found is not None:
        node.config.stash.setdefault(_WORKER_AUDITS, []).append(found)  # type: ignore[attr-defined]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """The secrets audit, over every gateway log of the run, once all of them have stopped."""
    from tests.support.log_audit import AuditReport, audit
    from tests.support.server import ALL_SERVERS

    report = audit(ALL_SERVERS)
    worker_output = getattr(session.config, "workeroutput", None)
    if worker_output is not None:  # an xdist worker: its servers' audit goes to the controller
        worker_output["log_audit"] = report.as_dict()
        return
    for found in session.config.stash.get(_WORKER_AUDITS, []):
        report = report.merged(AuditReport.from_dict(found))
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and report.servers:
        reporter.write_line(report.summary())
    if report.leaks:
        if reporter is not None:
            reporter.write_line(f"SECRETS IN LOGS: {report.leaks}", red=True, bold=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
