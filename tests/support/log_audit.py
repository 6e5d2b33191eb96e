"""The log audit: every log line of every gateway a test run started, searched for every secret
that gateway was given (API keys, provider credentials, S3 and webhook secrets). It runs when the
whole session ends (tests/conftest.py), after every server has stopped and written its last lines;
under pytest-xdist each worker audits its own servers and the controller adds the reports up."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol


class Audited(Protocol):
    @property
    def log_path(self): ...

    def log(self) -> str: ...

    def secrets(self) -> set[str]: ...


@dataclass
class AuditReport:
    servers: int = 0
    secrets: int = 0
    scanned: int = 0
    leaks: list[tuple[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """As a pytest-xdist worker sends it to the controller (plain types only)."""
        return {**dataclasses.asdict(self), "leaks": [list(leak) for leak in self.leaks]}

    @classmethod
    def from_dict(cls, found: dict[str, Any]) -> AuditReport:
        return cls(**{**found, "leaks": [(name, secret) for name, secret in found["leaks"]]})

    def merged(self, other: AuditReport) -> AuditReport:
        return AuditReport(
            self.servers + other.servers,
            self.secrets + other.secrets,
            self.scanned + other.scanned,
            self.leaks + other.leaks,
        )

    def summary(self) -> str:
        return (
            f"log audit: {self.servers} gateway processes, {self.secrets} secrets, {self.scanned} bytes "
            f"of logs, {len(self.leaks)} leaks"
        )


def audit(servers: Iterable[Audited]) -> AuditReport:
    report = AuditReport()
    for server in servers:
        if not server.log_path.exists():
            continue
        report.servers += 1
        log = server.log()
        report.scanned += len(log)
        for secret in server.secrets():
            report.secrets += 1
            if secret in log:
                report.leaks.append((server.log_path.name, secret[:6] + "..."))
    return report
