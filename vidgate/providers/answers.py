"""Reading providers' answers the same way in every adapter: ids that must be there, status words
mapped to ours, and cancels of jobs that are already finished or gone."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..domain import JobStatus
from ..upstream import UpstreamError


def required_id(provider: str, body: Mapping[str, Any], *path: str, what: str = "the job") -> str:
    """The id at `path` in a create answer; an answer without one is the provider's failure."""
    value: Any = body
    for key in path:
        value = value.get(key) if isinstance(value, Mapping) else None
    if not isinstance(value, str) or not value:
        raise UpstreamError(provider, f"{what} was created without an id ({'.'.join(path)})", status=502)
    return value


def pending_status(provider: str, value: Any, table: Mapping[str, JobStatus]) -> JobStatus:
    """A not-yet-finished status word as ours; a word we do not know is retried, not trusted."""
    found = table.get(str(value)) if value is not None else None
    if found is None:
        raise UpstreamError(provider, f"unknown job status {value!r}", status=502, retryable=True)
    return found


def gone_is_fine(error: UpstreamError, statuses: Iterable[int] = (404,)) -> None:
    """Cancelling or deleting a job the provider has finished or forgotten is not a failure."""
    if error.status not in tuple(statuses):
        raise error
