"""The log audit: every log line of every gateway a test run started, searched for every secret
that gateway was given (API keys, provider credentials, S3 and webhook secrets). It runs when the
whole session ends (tests/conftest.py), after every server has stopped and written its last lines."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol


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
