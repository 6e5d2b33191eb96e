"""Job records as the spec's response objects: Bifrost's shapes on /v1 (absent values left out),
OpenAI's on /openai/v1 (explicit nulls, seconds as a string, integer progress)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from ..catalog import ModelSpec
from ..domain import Budget, Character, JobRecord, JobStatus, ListPage, SpendStatus, video_view
from ..store import StoredKey, TenantPolicy, UsageLine


def _extra(request_type: str, job: JobRecord | None, provider: str, started: float) -> dict[str, Any]:
    extra: dict[str, Any] = {
        "request_type": request_type,
        "provider": provider,
        "latency": int((time.perf_counter() - started) * 1000),
    }
    if job is not None:
        extra["model_requested"] = f"{job.provider}/{job.model}"
        cost = job_cost(job)
        if cost is not None:
            extra["cost"] = cost
    return extra


def job_cost(job: JobRecord) -> dict[str, Any] | None:
    """What the job cost (final once it completed or failed: a failed job costs nothing), or what it
    is expected to cost while it runs; absent when the catalog has no price for its model."""
    if job.cost_usd is not None:
        return {"usd": round(job.cost_usd, 6), "final": True}
    rate = job.params.get("usd_per_second")
    if job.status == JobStatus.FAILED:
        return {"usd": 0.0, "final": True}
    if rate is None:
        return None
    return {"usd": round(rate * job.params.get("billed_seconds", job.seconds), 6), "final": False}


def video_response(job: JobRecord, request_type: str, base_url: str, started: float) -> dict[str, Any]:
    out = video_view(job)
    if job.status == JobStatus.COMPLETED:
        url = f"{base_url.rstrip('/')}/v1/videos/{job.public_id}/content"
        out["videos"] = [{"type": "url", "url": url, "content_type": "video/mp4"}]
    out["extra_fields"] = _extra(request_type, job, job.provider, started)
    return out


def character_response(character: Character, started: float) -> dict[str, Any]:
    return {
        "id": character.id,
        "object": "video.character",
        "name": character.name,
        "created_at": character.created_at,
        "extra_fields": {
            "request_type": "video_character",
            "latency": int((time.perf_counter() - started) * 1000),
        },
    }


def openai_character(character: Character) -> dict[str, Any]:
    return {"id": character.id, "name": character.name, "created_at": character.created_at}


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


# --- the model catalog ---------------------------------------------------------------------


def model_entry(provider: Any, spec: ModelSpec | None) -> dict[str, Any]:
    """One model as GET /v1/models shows it; `provider/*` stands for an open provider's other models."""
    capabilities = sorted(c.value for c in provider.capabilities)
    if spec is None:
        return {
            "id": f"{provider.name}/*",
            "provider": provider.name,
            "model": "*",
            "lifecycle": "available",
            "capabilities": capabilities,
            "note": "any model the provider has; what it takes and costs is the provider's to say",
        }
    # edits and extensions are per model: the catalog's `operations` say which models have them
    per_model = {"video_edit": "edit", "video_extend": "extend"}
    capabilities = [c for c in capabilities if c not in per_model or per_model[c] in spec.operations]
    out: dict[str, Any] = {
        "id": spec.id,
        "provider": spec.provider,
        "model": spec.name,
        "lifecycle": spec.lifecycle_on(dt.date.today()),
        "capabilities": capabilities,
        "audio": spec.audio,
        "image_input": spec.image_input,
        "video_input": spec.video_input,
        "operations": sorted(spec.operations),
    }
    optional = {
        "label": spec.label,
        "retires_on": spec.retires_on.isoformat() if spec.retires_on else None,
        "successor": spec.successor,
        "note": spec.note,
        "default_seconds": spec.default_seconds,
        "sizes": list(spec.sizes) if spec.sizes else None,
        "default_size": spec.default_size,
    }
    out |= {k: v for k, v in optional.items() if v is not None}
    if spec.durations is not None:
        out["seconds"] = {"allowed": list(spec.durations)}
    elif spec.seconds_range is not None:
        out["seconds"] = {"min": spec.seconds_range[0], "max": spec.seconds_range[1]}
    if spec.price is not None:
        price: dict[str, Any] = {
            "currency": "USD",
            "per_second": spec.price.per_second,
            "source": spec.price.source,
            "as_of": spec.price.as_of,
        }
        if spec.price.with_audio:
            price["per_second_with_audio"] = spec.price.with_audio
        if spec.price.note:
            price["note"] = spec.price.note
        out["price"] = price
    return out


def model_list(entries: list[tuple[Any, ModelSpec | None]]) -> dict[str, Any]:
    return {"object": "list", "data": [model_entry(p, s) for p, s in entries]}


# --- usage and spend ------------------------------------------------------------------------


def usage_line(line: UsageLine, *, with_tenant: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "provider": line.provider,
        "model": line.model,
        "day": line.day,
        "seconds": line.seconds,
        "videos": line.videos,
        "cost_usd": line.cost_usd,
    }
    if line.key_id:
        out["key_id"] = line.key_id
    if with_tenant:
        out["tenant"] = line.tenant
    return out


def budget_status(status: SpendStatus) -> dict[str, Any]:
    out: dict[str, Any] = {
        "scope": status.scope,
        "period": status.budget.period.value,
        "limit_usd": status.budget.limit_usd,
        "spent_usd": round(status.spent_usd, 6),
        "reserved_usd": round(status.reserved_usd, 6),
        "remaining_usd": status.remaining_usd,
        "resets_at": status.resets_at.isoformat(),
    }
    out["key_id" if status.scope == "key" else "tenant"] = status.scope_id
    return out


def usage_response(lines: list[UsageLine], budgets: list[SpendStatus], since: int) -> dict[str, Any]:
    data = [usage_line(line) for line in lines]
    return {
        "object": "usage",
        "since": since,
        "total_seconds": sum(line.seconds for line in lines),
        "total_cost_usd": round(sum(line.cost_usd for line in lines), 6),
        "data": data,
        "budgets": [budget_status(b) for b in budgets],
    }


# --- the admin API --------------------------------------------------------------------------


def _budget(budget: Budget | None) -> dict[str, Any] | None:
    return None if budget is None else {"usd": budget.limit_usd, "period": budget.period.value}


def api_key(key: StoredKey, status: SpendStatus | None, plain: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": key.id,
        "tenant": key.tenant,
        "name": key.name,
        "created_at": int(key.created_at),
        "revoked": key.revoked_at is not None,
    }
    optional = {
        "revoked_at": int(key.revoked_at) if key.revoked_at else None,
        "requests_per_minute": key.requests_per_minute,
        "max_active_jobs": key.max_active_jobs,
        "budget": _budget(key.budget),
        "spend": budget_status(status) if status else None,
        "key": plain,
    }
    return out | {k: v for k, v in optional.items() if v is not None}


def tenant(policy: TenantPolicy, status: SpendStatus | None) -> dict[str, Any]:
    optional = {
        "max_active_jobs": policy.max_active_jobs,
        "budget": _budget(policy.budget),
        "spend": budget_status(status) if status else None,
    }
    return {"tenant": policy.tenant} | {k: v for k, v in optional.items() if v is not None}


def spend_report(lines: list[UsageLine], since: int, until: int | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "object": "spend",
        "since": since,
        "total_cost_usd": round(sum(line.cost_usd for line in lines), 6),
        "total_seconds": sum(line.seconds for line in lines),
        "data": [usage_line(line, with_tenant=True) for line in lines],
    }
    if until is not None:
        out["until"] = until
    return out
