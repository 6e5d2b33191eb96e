"""Prometheus metrics, in one place. One registry per process (per app, for tests)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "vidgate_http_requests", "HTTP requests", ["method", "route", "status"], registry=r
        )
        self.latency = Histogram(
            "vidgate_http_request_duration_seconds",
            "Time to answer",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.jobs = Gauge(
            "vidgate_jobs", "Jobs in the store by provider and status", ["provider", "status"], registry=r
        )
        self.queue_depth = Gauge("vidgate_queue_depth", "Jobs waiting for a worker (queued)", registry=r)
        self.upstream_calls = Counter(
            "vidgate_upstream_requests", "Calls to providers", ["provider", "outcome"], registry=r
        )
        self.upstream_retries = Counter(
            "vidgate_upstream_retries", "Retried provider calls", ["provider"], registry=r
        )
        self.render_seconds = Histogram(
            "vidgate_render_seconds",
            "Wall time of local renders",
            buckets=(0.5, 1, 2, 5, 10, 30, 60, 120, 300),
            registry=r,
        )
        self.video_seconds = Counter(
            "vidgate_video_seconds", "Seconds of video generated", ["provider", "model"], registry=r
        )
        self.webhooks = Counter(
            "vidgate_webhook_deliveries", "Webhook delivery attempts", ["outcome"], registry=r
        )

    def export(self) -> bytes:
        return generate_latest(self.registry)
