"""The target of the supervisor's spawned test processes: importable by name, as spawn needs. Each
start (and each graceful stop) leaves a file named for the pid in a folder, to count and tell them."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path
from typing import Any


def child(
    folder: str, exit_code: int | None = None, after: str | None = None, hang: bool = False, *, heartbeat: Any
) -> None:
    """Exits with `exit_code` (a broken configuration, say), once a process has started in the
    folder `after` if given; with no code, runs until SIGTERM, beating as a loop would (only once
    if `hang`: a loop that stood still), and notes that it stopped gracefully."""

    def stop(_signum: int, _frame: object) -> None:
        Path(folder, f"stopped-{os.getpid()}").touch()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    Path(folder, f"started-{os.getpid()}").touch()
    if exit_code is not None:
        while after is not None and not any(Path(after).glob("started-*")):
            time.sleep(0.01)
        sys.exit(exit_code)
    heartbeat.value = time.monotonic()
    while True:
        time.sleep(0.05)
        if not hang:
            heartbeat.value = time.monotonic()
