"""The public view of a job: what API responses and webhook events say about it. Absent values are
left out, never null (Bifrost's convention; the OpenAI surface adds its nulls on top)."""

from __future__ import annotations

from typing import Any

from .jobs import JobRecord, JobStatus


def video_view(job: JobRecord) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": job.public_id,
        "object": "video",
        "model": f"{job.provider}/{job.model}",
        "status": job.status.value,
        "progress": round(job.progress, 2),
        "prompt": job.prompt,
        "seconds": job.seconds,
        "size": job.size,
        "created_at": job.created_at,
    }
    if job.remixed_from:
        out["remixed_from_video_id"] = job.remixed_from
    if job.completed_at is not None:
        out["completed_at"] = job.completed_at
    if job.expires_at is not None:
        out["expires_at"] = job.expires_at
    if job.status == JobStatus.FAILED:
        out["error"] = {"code": job.error_code or "failed", "message": job.error_message or ""}
    return out
