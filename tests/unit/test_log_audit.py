"""The end-of-session log audit finds a planted secret (it must be able to fail)."""

from __future__ import annotations

from pathlib import Path

from tests.support.log_audit import AuditReport, audit
from tests.support.server import ServerProcess


def test_the_audit_reports_a_secret_written_to_a_log(tmp_path: Path) -> None:
    clean = ServerProcess(tmp_path / "clean", env={"VIDGATE_API_KEYS": "vg-audit-clean-key"}, register=False)
    leaky = ServerProcess(
        tmp_path / "leaky", env={"VIDGATE_PROVIDERS__X__API_KEY": "sk-audit-planted"}, register=False
    )
    for server, line in ((clean, "nothing to see"), (leaky, "oops sk-audit-planted in a line")):
        server.data_dir.mkdir(parents=True)
        server.log_path.write_text(line + "\n")
    report = audit([clean, leaky])
    assert report.servers == 2 and report.secrets == 2
    assert report.leaks == [(leaky.log_path.name, "sk-aud...")]


def test_a_workers_report_reaches_the_controller_whole(tmp_path: Path) -> None:
    """Under pytest-xdist each worker audits its own servers and sends the report as plain types;
    the controller adds them up (tests/conftest.py): a leak found by any worker fails the run."""
    leaky = ServerProcess(tmp_path / "leaky", env={"VIDGATE_API_KEYS": "vg-audit-worker-key"}, register=False)
    leaky.data_dir.mkdir(parents=True)
    leaky.log_path.write_text("a line with vg-audit-worker-key in it\n")
    from_worker = AuditReport.from_dict(audit([leaky]).as_dict())
    total = AuditReport(servers=3, secrets=5, scanned=100).merged(from_worker)
    assert total.leaks == [(leaky.log_path.name, "vg-aud...")]
    assert (total.servers, total.secrets) == (4, 6) and total.scanned > 100
