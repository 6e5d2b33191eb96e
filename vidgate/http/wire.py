"""Job records as the spec's response objects: Bifrost's shapes on /v1 (absent values left out),
OpenAI's on /openai/v1 (explicit nulls, seconds as a string, integer progress)."""

from __future__ import annotations

import time
from typing import Any

from ..domain import JobRecord, JobStatus, ListPage, video_view


def _extra(request_type: str, job: JobRecord | None, provider: str, started: float) -> dict[str, Any]:
    extra: dict[str, Any] = {
        "request_type": request_type,
        "provider": provider,
        "latency": int((time.perf_counter() - started) * 1000),
    }
    if job is not None:
        extra["model_requested"] = f"{job.provider}/{job.model}"
    return extra


def video_response(job: JobRecord, request_type: str, base_url: str, started: float) -> dict[str, Any]:
    out = video_view(job)
    if job.status == JobStatus.COMPLETED:
        url = f"{base_url.rstrip('/')}/v1/videos/{job.public_id}/content"
        out["videos"] = [{"type": "url", "url": url, "content_type": "video/mp4"}]
    out["extra_fields"] = _extra(request_type, job, job.provider, started)
    return out


def list_response(page: ListPage, provider: str, started: float) -> dict[str, Any]:
    data = [video_view(j) for j in page.items]
    out: dict[str, Any] = {"object": "list", "data": data, "has_more": page.has_more}
    if data:
        out["first_id"] = data[0]["id"]
        out["last_id"] = data[-1]["id"]
    out["extra_fields"] = _extra("video_list", None, provider, started)
    return out


def delete_response(job: JobRecord, started: float) -> dict[str, Any]:
    return {
        "id": job.public_id,
        "object": "video.deleted",
        "deleted": True,
        "extra_fields": _extra("video_delete", job, job.provider, started),
    }


# --- the OpenAI Videos API's shapes (explicit nulls, seconds as a string, integer progress) -----


def openai_video(job: JobRecord) -> dict[str, Any]:
    return {
        "id": job.public_id,
        "object": "video",
        "model": f"{job.provider}/{job.model}",
        "status": job.status.value,
        "progress": int(job.progress),
        "prompt": job.prompt,
        "seconds": str(job.seconds),
        "size": job.size,
        "created_at": job.created_at,
        "completed_at": job.completed_at,
        "expires_at": job.expires_at,
        "remixed_from_video_id": job.remixed_from,
        "error": (
            {"code": job.error_code or "failed", "message": job.error_message or ""}
            if job.status == JobStatus.FAILED
            else None
        ),
    }


def openai_list(page: ListPage) -> dict[str, Any]:
    data = [openai_video(j) for j in page.items]
    return {
        "object": "list",
        "data": data,
        "first_id": data[0]["id"] if data else None,
        "last_id": data[-1]["id"] if data else None,
        "has_more": page.has_more,
    }
