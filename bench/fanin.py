"""3. Polling fan-in: many clients polling a few in-flight jobs must not multiply upstream polls.

The worker polls each job once per provider interval whatever the clients do; clients read the
stored state. Counted at the fake upstream, in two runs:

- paced: every client polls its job every PACE_S seconds, as SDKs and the studio do (500
  clients, 50 jobs: 250 requests a second, within what one 2-core machine serves). The headline.
- flat out: the same 500 connections with wrk, no pause between polls: the gateway saturated.
  Clients still never cause upstream polls; the worker, sharing the event loop with them, polls
  less often than its interval, so stored state gets older (reported, not hidden).
"""

from __future__ import annotations

import time

import httpx

from bench.harness import AUTH, ServerProcess, Uvicorn, fake_upstream, vidgate, wrk

INTERVAL_S = 1.0  # the provider's poll interval
PACE_S = 2.0  # each client's


def _polls(upstream: Uvicorn, jobs: int, since: float) -> tuple[float, float]:
    """Upstream polls per job per interval since the counters were reset at `since`."""
    polls = httpx.get(f"{upstream.url}/_stats").json()["polls"]
    seconds = time.perf_counter() - since
    per_job = list(polls.values()) + [0] * (jobs - len(polls))
    intervals = seconds / INTERVAL_S
    return round(sum(per_job) / jobs / intervals, 3), round(max(per_job) / intervals, 3)


def _jobs(gateway: ServerProcess, jobs: int) -> list[str]:
    body = {"model": "openai/sora-2", "prompt": "fan-in", "seconds": 4, "size": "720x1280"}
    with httpx.Client(headers=AUTH, timeout=30) as client:
        return [client.post(f"{gateway.url}/v1/videos", json=body).json()["id"] for _ in range(jobs)]


def run(seconds: float, clients: int = 500, jobs: int = 50) -> dict[str, object]:
    env = {
        "VIDGATE_PROVIDERS__OPENAI__POLL_INTERVAL_SECONDS": str(INTERVAL_S),
        "VIDGATE_MAX_ACTIVE_JOBS_PER_TENANT": str(jobs * 2),
    }
    with fake_upstream(complete_after="36000") as upstream, vidgate(upstream, **env) as gateway:
        ids = _jobs(gateway, jobs)
        time.sleep(2 * INTERVAL_S)  # every job has been polled once: a steady state
        paths = [f"/v1/videos/{i}" for i in ids]
        runs = {}
        for name, delay_ms, run_seconds in (
            ("paced", int(PACE_S * 1000), seconds),
            ("flat", 0, max(2.0, seconds / 3)),
        ):
            httpx.post(f"{upstream.url}/_stats/reset")
            since = time.perf_counter()
            result = wrk(
                f"{gateway.url}{paths[0]}",
                connections=clients,
                seconds=run_seconds,
                headers=AUTH,
                paths=paths,
                threads=2,
                delay_ms=delay_ms,
            )
            runs[name] = (result, *_polls(upstream, jobs, since))
    paced, polls, polls_max = runs["paced"]
    flat, flat_polls, _ = runs["flat"]
    return {
        "clients": clients,
        "jobs": jobs,
        "seconds": seconds,
        "poll_interval_s": INTERVAL_S,
        "client_pace_s": PACE_S,
        "client_requests": paced.requests,
        "client_rps": round(paced.rps),
        "client_errors": paced.errors,
        "client_p50_ms": round(paced.p50_ms, 2),
        "client_p99_ms": round(paced.p99_ms, 2),
        "upstream_polls_per_job_interval": polls,
        "upstream_polls_max_job_per_interval": polls_max,
        "flat_out_client_rps": round(flat.rps),
        "flat_out_client_p99_ms": round(flat.p99_ms, 2),
        "flat_out_client_errors": flat.errors,
        "flat_out_upstream_polls_per_job_interval": flat_polls,
    }
