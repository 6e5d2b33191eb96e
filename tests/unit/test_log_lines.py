"""Log lines stay whole when several processes share one stderr (uvicorn's workers, a container's
log) and when threads log through structlog and the standard library at once."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

LINES = 1500

LOGGING_PROCESS = f"""
import logging, sys, threading
import structlog
from vidgate.telemetry.logging import configure_logging

configure_logging("info", json=True)
log, plain = structlog.get_logger(), logging.getLogger("uvicorn.error")

def stdlib_lines():
    for i in range({LINES}):
        plain.warning("plain line %d of process %s", i, sys.argv[1])

thread = threading.Thread(target=stdlib_lines)
thread.start()
for i in range({LINES}):
    log.info("jobs_started", process=sys.argv[1], i=i, padding="x" * 200)
thread.join()
"""


def test_processes_sharing_stderr_never_split_a_line(tmp_path: Path) -> None:
    shared = tmp_path / "shared.log"
    with shared.open("ab") as stderr:  # O_APPEND, one file for all, as a log collector has it
        processes = [
            subprocess.Popen([sys.executable, "-c", LOGGING_PROCESS, str(n)], stderr=stderr) for n in range(3)
        ]
        assert [p.wait(timeout=120) for p in processes] == [0, 0, 0]
    lines = shared.read_text().splitlines()
    structured = [json.loads(line) for line in lines if not line.startswith("WARNING uvicorn.error: ")]
    assert len(structured) == 3 * LINES, "a structlog line was split or run into another"
    assert all(event["event"] == "jobs_started" for event in structured)
    assert len(lines) == 6 * LINES


def test_a_log_line_is_json_whatever_the_event_holds() -> None:
    """The line goes through orjson, which refuses what the standard library takes (an integer
    past 64 bits) or takes only when told (keys that are not strings): a log call must never fail
    the request that makes it, nor write a line a collector cannot parse."""
    from vidgate.telemetry.logging import json_line

    event = {"event": "request", "status": 200, "route": "/v1/videos/{video_id}", "n": 1.5}
    assert json.loads(json_line(event)) == event
    odd = {"event": "odd", "big": 2**70, "by_code": {404: "not found"}, "path": Path("/tmp/x")}
    for line in (json_line(odd, default=repr), json_line({**odd, "big": 1}, default=repr)):
        parsed = json.loads(line)
        assert parsed["event"] == "odd" and parsed["by_code"] == {"404": "not found"}
    assert json.loads(json_line(odd, default=repr))["big"] == 2**70
