"""3. Polling fan-in: many clients polling a few in-flight jobs must not multiply upstream polls.

The worker polls each job once per provider interval whatever the clients do; clients read the
stored state. Counted at the fake upstream.
"""

from __future__ import annotations

import httpx

from bench.harness import AUTH, fake_upstream, vidgate, wrk

INTERVAL_S = 1.0


def run(seconds: float, clients: int = 500, jobs: int = 50) -> dict[str, object]:
    env = {
        "VIDGATE_PROVIDERS__OPENAI__POLL_INTERVAL_SECONDS": str(INTERVAL_S),
        "VIDGATE_MAX_ACTIVE_JOBS_PER_TENANT": str(jobs * 2),
    }
    with fake_upstream(complete_after="36000") as upstream, vidgate(upstream, **env) as gateway:
        body = {"model": "openai/sora-2", "prompt": "fan-in", "seconds": 4, "size": "720x1280"}
        with httpx.Client(headers=AUTH, timeout=30) as client:
            ids = [client.post(f"{gateway.url}/v1/videos", json=body).json()["id"] for _ in range(jobs)]
        httpx.post(f"{upstream.url}/_stats/reset")
        result = wrk(
            f"{gateway.url}/v1/videos/{ids[0]}",
            connections=clients,
            seconds=seconds,
            headers=AUTH,
            paths=[f"/v1/videos/{i}" for i in ids],
            threads=2,
        )
        polls = httpx.get(f"{upstream.url}/_stats").json()["polls"]
    intervals = seconds / INTERVAL_S
    per_job = [polls.get(k, 0) for k in polls] + [0] * (jobs - len(polls))
    return {
        "clients": clients,
        "jobs": jobs,
        "seconds": seconds,
        "poll_interval_s": INTERVAL_S,
        "client_requests": result.requests,
        "client_errors": result.errors,
        "client_rps": round(result.rps),
        "client_p50_ms": round(result.p50_ms, 2),
        "client_p99_ms": round(result.p99_ms, 2),
        "upstream_polls": sum(per_job),
        "upstream_polls_per_job_interval": round(sum(per_job) / jobs / intervals, 3),
        "upstream_polls_max_job_per_interval": round(max(per_job) / intervals, 3),
    }
