"""2. Peer: the same retrieve and create through the LiteLLM proxy, side by side with vidgate,
both in front of the same fake upstream.

LiteLLM lives in its own virtualenv (`make bench-peer` builds .venv-peer): it is a peer to
measure against, not a dependency. It runs offline with a local model cost map. Its retrieve
asks the upstream on every call (its ids encode provider and model); vidgate's answers from its
store. Both are what a client gets from each.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

import httpx

from bench.harness import (
    AUTH,
    ROOT,
    UPSTREAM_KEY,
    fake_upstream,
    free_port,
    vidgate,
    wait_until_up,
)
from bench.overhead import CREATE, QUIET, compare

PEER_VENV = ROOT / ".venv-peer"
MASTER_KEY = "sk-litellm-bench-master"


def available() -> bool:
    return (PEER_VENV / "bin" / "litellm").exists()


def _config(upstream_url: str) -> str:
    return json.dumps(
        {
            "model_list": [
                {
                    "model_name": "sora-2",
                    "litellm_params": {
                        "model": "openai/sora-2",
                        "api_base": f"{upstream_url}/v1",
                        "api_key": UPSTREAM_KEY,
                    },
                }
            ],
            "general_settings": {"master_key": MASTER_KEY},
            "litellm_settings": {"set_verbose": False, "json_logs": True},
        }
    )


def run(rounds: int, seconds: float, concurrencies: tuple[int, ...]) -> dict[str, object]:
    if not available():
        return {"skipped": "LiteLLM is not installed: run `make bench-peer`"}
    with tempfile.TemporaryDirectory() as tmp, fake_upstream(complete_after="3600") as upstream:
        config = Path(tmp) / "litellm.yaml"
        config.write_text(_config(upstream.url))  # JSON is YAML
        port = free_port()
        env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True", "LITELLM_LOG": "ERROR"}
        peer = subprocess.Popen(
            [str(PEER_VENV / "bin" / "litellm"), "--config", str(config), "--port", str(port)],
            cwd=tmp,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        peer_url = f"http://127.0.0.1:{port}"
        peer_auth = {"Authorization": f"Bearer {MASTER_KEY}"}
        try:
            wait_until_up(f"{peer_url}/health/liveliness", timeout=120)
            with vidgate(upstream, **QUIET) as gateway:
                return _compare(gateway.url, peer_url, peer_auth, rounds, seconds, concurrencies)
        finally:
            peer.terminate()
            peer.wait(30)


def _compare(
    gateway_url: str,
    peer_url: str,
    peer_auth: dict[str, str],
    rounds: int,
    seconds: float,
    concurrencies: tuple[int, ...],
) -> dict[str, object]:
    peer_id = httpx.post(f"{peer_url}/v1/videos", headers=peer_auth, json=CREATE, timeout=30).json()["id"]
    ours = httpx.post(
        f"{gateway_url}/v1/videos", headers=AUTH, json={**CREATE, "model": "openai/sora-2"}, timeout=30
    ).json()["id"]
    json_headers = {"Content-Type": "application/json"}
    operations = {
        "retrieve": {
            "vidgate": {"url": f"{gateway_url}/v1/videos/{ours}", "headers": AUTH},
            "litellm": {"url": f"{peer_url}/v1/videos/{peer_id}", "headers": peer_auth},
        },
        "create": {
            "vidgate": {
                "url": f"{gateway_url}/v1/videos",
                "method": "POST",
                "headers": {**AUTH, **json_headers},
                "body": json.dumps({**CREATE, "model": "openai/sora-2"}),
            },
            "litellm": {
                "url": f"{peer_url}/v1/videos",
                "method": "POST",
                "headers": {**peer_auth, **json_headers},
                "body": json.dumps(CREATE),
            },
        },
    }
    out: dict[str, object] = {}
    for operation, targets in operations.items():
        for concurrency in concurrencies:
            r = compare(targets, concurrency, rounds, seconds)
            out[f"{operation}_c{concurrency}"] = {
                "rps_ratio_vs_litellm": round(r["vidgate"].rps / r["litellm"].rps, 3),
                "vidgate_rps": round(r["vidgate"].rps),
                "litellm_rps": round(r["litellm"].rps),
                "vidgate_p50_ms": round(r["vidgate"].p50_ms, 2),
                "litellm_p50_ms": round(r["litellm"].p50_ms, 2),
                "vidgate_p99_ms": round(r["vidgate"].p99_ms, 2),
                "litellm_p99_ms": round(r["litellm"].p99_ms, 2),
            }
    retrieve = [v for k, v in out.items() if k.startswith("retrieve")]
    out["retrieve_ratio_vs_litellm"] = min(v["rps_ratio_vs_litellm"] for v in retrieve)  # type: ignore[index]
    if "create_c16" in out:
        out["create_c16_ratio_vs_litellm"] = out["create_c16"]["rps_ratio_vs_litellm"]  # type: ignore[index]
    return out
