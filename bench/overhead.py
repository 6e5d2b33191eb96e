"""1. Overhead: retrieve and create directly against a fake OpenAI upstream, through vidgate, and
against a bare Starlette route on the same stack (uvicorn + httptools), side by side.

Retrieve through vidgate is answered from its store: the upstream is polled by the worker once
per interval, never per request (that is the design, and what a client of the gateway gets), so
the honest comparison is the client's view: the gateway's answer against asking the upstream
yourself. Create is a true pass-through: vidgate validates, stores the job and submits it to the
upstream before it answers.
"""

from __future__ import annotations

import json

import httpx

from bench.harness import (
    AUTH,
    UPSTREAM_KEY,
    WrkResult,
    bare_route,
    fake_upstream,
    median_result,
    vidgate,
    wrk,
)

CREATE = {"model": "sora-2", "prompt": "a bench", "seconds": "4", "size": "720x1280"}
QUIET = {  # thousands of created jobs: keep the worker's polls out of the measurement
    "VIDGATE_PROVIDERS__OPENAI__POLL_INTERVAL_SECONDS": "3600",
    "VIDGATE_MAX_ACTIVE_JOBS_PER_TENANT": "100000000",
}


def _row(name: str, result: WrkResult) -> dict[str, float]:
    return {
        f"{name}_rps": round(result.rps),
        f"{name}_p50_ms": round(result.p50_ms, 3),
        f"{name}_p99_ms": round(result.p99_ms, 3),
    }


def compare(targets: dict[str, dict], concurrency: int, rounds: int, seconds: float) -> dict[str, WrkResult]:
    """Each target in turn, round after round, so drift on the machine hits all of them alike."""
    runs: dict[str, list[WrkResult]] = {name: [] for name in targets}
    for _ in range(rounds):
        for name, target in targets.items():
            runs[name].append(wrk(connections=concurrency, seconds=seconds, **target))
    results = {name: median_result(r) for name, r in runs.items()}
    for name, result in results.items():
        if result.errors:
            raise RuntimeError(f"{name}: {result.errors} failed requests at c{concurrency}")
    return results


def run(rounds: int, seconds: float, concurrencies: tuple[int, ...]) -> dict[str, object]:
    out: dict[str, object] = {
        "retrieve_mode": "vidgate answers from its store; its worker polls the upstream per interval",
        "create_mode": "pass-through: validate, store, submit upstream, answer",
    }
    with (
        fake_upstream(complete_after="3600") as upstream,
        bare_route() as bare,
        vidgate(upstream, **QUIET) as gateway,
    ):
        upstream_job = httpx.post(f"{upstream.url}/v1/videos", json=CREATE).json()["id"]
        job = httpx.post(
            f"{gateway.url}/v1/videos", headers=AUTH, json={**CREATE, "model": "openai/sora-2"}
        ).json()["id"]
        json_headers = {"Content-Type": "application/json"}
        upstream_auth = {"Authorization": f"Bearer {UPSTREAM_KEY}"}
        operations = {
            "retrieve": {
                "direct": {"url": f"{upstream.url}/v1/videos/{upstream_job}", "headers": upstream_auth},
                "vidgate": {"url": f"{gateway.url}/v1/videos/{job}", "headers": AUTH},
                "bare": {"url": f"{bare.url}/v1/videos/{upstream_job}"},
            },
            "create": {
                "direct": {
                    "url": f"{upstream.url}/v1/videos",
                    "method": "POST",
                    "headers": {**upstream_auth, **json_headers},
                    "body": json.dumps(CREATE),
                },
                "vidgate": {
                    "url": f"{gateway.url}/v1/videos",
                    "method": "POST",
                    "headers": {**AUTH, **json_headers},
                    "body": json.dumps({**CREATE, "model": "openai/sora-2", "seconds": 4}),
                },
                "bare": {
                    "url": f"{bare.url}/v1/videos",
                    "method": "POST",
                    "headers": json_headers,
                    "body": json.dumps(CREATE),
                },
            },
        }
        for operation, targets in operations.items():
            per_concurrency = {}
            for concurrency in concurrencies:
                r = compare(targets, concurrency, rounds, seconds)
                per_concurrency[f"c{concurrency}"] = {
                    "overhead_p50_ms": round(r["vidgate"].p50_ms - r["direct"].p50_ms, 3),
                    "overhead_p99_ms": round(r["vidgate"].p99_ms - r["direct"].p99_ms, 3),
                    "rps_ratio_vs_bare": round(r["vidgate"].rps / r["bare"].rps, 3),
                    "rps_ratio_vs_direct": round(r["vidgate"].rps / r["direct"].rps, 3),
                    **_row("vidgate", r["vidgate"]),
                    **_row("direct", r["direct"]),
                    **_row("bare", r["bare"]),
                }
            out[operation] = per_concurrency
        # The floor under any route: GET /health has no security, no parameters, no store.
        floor = compare(
            {"vidgate": {"url": f"{gateway.url}/health"}, "bare": {"url": f"{bare.url}/v1/videos/x"}},
            concurrencies[-1],
            rounds,
            seconds,
        )
        out["health_rps_ratio_vs_bare"] = round(floor["vidgate"].rps / floor["bare"].rps, 3)
    retrieve = out["retrieve"]
    assert isinstance(retrieve, dict)
    first = retrieve[f"c{concurrencies[0]}"]
    out["overhead_p50_ms"] = first["overhead_p50_ms"]
    out["overhead_p99_ms"] = first["overhead_p99_ms"]
    out["rps_ratio_vs_bare"] = min(c["rps_ratio_vs_bare"] for c in retrieve.values())
    out["rps_ratio_vs_bare_at"] = {k: c["rps_ratio_vs_bare"] for k, c in retrieve.items()}
    return out
