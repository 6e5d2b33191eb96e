"""Budgets and rate limits hold across instances: two gateways on one PostgreSQL share every
counter, so concurrent creates on both can never together overspend, and N instances do not allow
N times a key's requests per minute."""

from __future__ import annotations

import collections
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.fakes.harness import FakeServer
from tests.fakes.openai_videos import OpenAIVideosFake
from tests.support.databases import postgres_database
from tests.support.server import ServerProcess

from .conftest import upstream_env

ADMIN = "vg-spend-admin-0001"
PRICE, SECONDS = 0.10, 4  # the catalog's sora-2 price per second (un-retired for the fake), seconds a job
JOB_COST = PRICE * SECONDS


@pytest.fixture(scope="module")
def shared_upstream() -> Iterator[tuple[OpenAIVideosFake, FakeServer]]:
    """One fake and one pair of gateways for the module: each test uses keys of its own."""
    fake = OpenAIVideosFake(key="sk-durability", polls_to_complete=15)
    with FakeServer(fake.app()) as server:
        yield fake, server


@pytest.fixture(scope="module")
def pair(
    shared_upstream: tuple[OpenAIVideosFake, FakeServer], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[ServerProcess, ServerProcess]]:
    _, fake_server = shared_upstream
    tmp_path = tmp_path_factory.mktemp("spend")
    with postgres_database() as pg_url:
        env = {
            "VIDGATE_ADMIN_KEYS": ADMIN,
            "VIDGATE_DATABASE_URL": pg_url,
            "VIDGATE_MAX_ACTIVE_JOBS_PER_TENANT": "1000",
            **upstream_env(fake_server),
        }
        a = ServerProcess(tmp_path / "a", env=env).start()
        b = ServerProcess(tmp_path / "b", env=env).start()
        try:
            yield a, b
        finally:
            a.stop()
            b.stop()


def new_key(server: ServerProcess, **limits) -> dict:
    r = httpx.post(
        f"{server.url}/admin/v1/keys", headers={"x-admin-key": ADMIN}, json={"tenant": "spenders", **limits}
    )
    assert r.status_code == 201, r.text
    return r.json()


def key_spend(server: ServerProcess, key_id: str) -> dict:
    return httpx.get(f"{server.url}/admin/v1/keys/{key_id}", headers={"x-admin-key": ADMIN}).json()["spend"]


def wait_all(server: ServerProcess, key: str, ids: list[str], timeout: float = 60) -> list[dict]:
    deadline = time.monotonic() + timeout
    while True:
        states = [
            httpx.get(f"{server.url}/v1/videos/{i}", headers={"Authorization": f"Bearer {key}"}).json()
            for i in ids
        ]
        if all(s["status"] in ("completed", "failed") for s in states) or time.monotonic() > deadline:
            return states
        time.sleep(0.2)


@pytest.mark.slow
def test_forty_concurrent_creates_on_two_instances_fit_a_budget_of_exactly_ten(pair, shared_upstream) -> None:
    a, b = pair
    fake, _ = shared_upstream
    before = fake.creates
    key = new_key(a, name="ten jobs", budget={"usd": round(10 * JOB_COST, 6), "period": "month"})
    auth = {"Authorization": f"Bearer {key['key']}"}
    body = {"model": "openai/sora-2", "prompt": "budgeted", "seconds": SECONDS, "size": "1280x720"}

    def create(i: int) -> httpx.Response:
        server = (a, b)[i % 2]
        return httpx.post(
            f"{server.url}/v1/videos", headers=auth, json={**body, "prompt": f"budgeted {i}"}, timeout=60
        )

    with ThreadPoolExecutor(40) as pool:
        answers = list(pool.map(create, range(40)))
    codes = collections.Counter(r.status_code for r in answers)
    accepted = [r.json() for r in answers if r.status_code == 200]
    refused = [r for r in answers if r.status_code == 429]
    by_instance = collections.Counter(i % 2 for i, r in enumerate(answers) if r.status_code == 200)
    assert codes == {200: 10, 429: 30}, codes
    assert all(r.json()["error"]["code"] == "budget_exceeded" for r in refused)
    details = refused[0].json()["extra_fields"]["details"]
    assert details["limit_usd"] == pytest.approx(10 * JOB_COST) and details["period"] == "month"
    assert details["remaining_usd"] < JOB_COST and details["resets_at"]
    assert refused[0].headers["x-should-retry"] == "false" and int(refused[0].headers["retry-after"]) > 0
    assert fake.creates - before == 10, "a refused job reached the provider"
    done = wait_all(b, key["key"], [j["id"] for j in accepted])
    assert [d["status"] for d in done] == ["completed"] * 10, done
    assert all(d["extra_fields"]["cost"] == {"usd": pytest.approx(JOB_COST), "final": True} for d in done)
    spend = key_spend(a, key["id"])
    assert spend["spent_usd"] == pytest.approx(10 * JOB_COST) and spend["reserved_usd"] == 0
    report = httpx.get(
        f"{b.url}/admin/v1/spend", headers={"x-admin-key": ADMIN}, params={"tenant": "spenders"}
    )
    assert report.json()["total_cost_usd"] == pytest.approx(10 * JOB_COST)  # the ledger sums to the budget
    print(
        f"\nbudget across instances: 40 concurrent creates (accepted per instance {dict(by_instance)}): "
        f"{codes[200]} accepted, {codes[429]} budget_exceeded; upstream creates {fake.creates - before}; "
        f"ledger ${report.json()['total_cost_usd']:.2f} of a ${10 * JOB_COST:.2f} budget"
    )


@pytest.mark.slow
def test_forty_concurrent_creates_on_two_instances_fit_ten_active_slots(pair, shared_upstream) -> None:
    """A key's active-job limit is a counter both instances take from in the insert's transaction:
    counting the running jobs first could let both instances take the last slot."""
    a, b = pair
    fake, _ = shared_upstream
    key = new_key(a, name="ten at a time", max_active_jobs=10)
    auth = {"Authorization": f"Bearer {key['key']}"}
    body = {"model": "openai/sora-2", "seconds": SECONDS, "size": "1280x720"}

    def create(i: int) -> httpx.Response:
        return httpx.post(
            f"{(a, b)[i % 2].url}/v1/videos", headers=auth, json={**body, "prompt": f"STUCK {i}"}, timeout=60
        )

    before = fake.creates
    with ThreadPoolExecutor(40) as pool:
        answers = list(pool.map(create, range(40)))
    codes = collections.Counter(r.status_code for r in answers)
    assert codes == {200: 10, 429: 30}, codes
    refused = next(r.json() for r in answers if r.status_code == 429)
    assert refused["error"]["code"] == "too_many_active_jobs" and "limit is 10" in refused["error"]["message"]
    assert fake.creates - before == 10, "a refused job reached the provider"
    running = [r.json()["id"] for r in answers if r.status_code == 200]
    for video_id in running[:3]:  # deleting running jobs frees their slots, on every instance
        assert httpx.delete(f"{b.url}/v1/videos/{video_id}", headers=auth).status_code == 200
    with ThreadPoolExecutor(6) as pool:
        again = collections.Counter(r.status_code for r in pool.map(create, range(40, 46)))
    assert again == {200: 3, 429: 3}, again
    print(
        f"\nactive slots across instances: 40 concurrent creates -> {dict(codes)}; 3 deleted -> {dict(again)}"
    )


@pytest.mark.slow
def test_a_failed_or_deleted_job_gives_its_reservation_back(pair) -> None:
    a, b = pair
    key = new_key(a, budget={"usd": 1.0, "period": "day"})
    auth = {"Authorization": f"Bearer {key['key']}"}
    body = {"model": "openai/sora-2", "seconds": SECONDS, "size": "1280x720"}
    stuck = httpx.post(f"{b.url}/v1/videos", headers=auth, json={**body, "prompt": "STUCK forever"}).json()
    assert stuck["extra_fields"]["cost"] == {"usd": pytest.approx(JOB_COST), "final": False}
    assert key_spend(a, key["id"])["reserved_usd"] == pytest.approx(JOB_COST)  # held while it runs
    failing = httpx.post(f"{a.url}/v1/videos", headers=auth, json={**body, "prompt": "FAIL this one"}).json()
    (failed,) = wait_all(a, key["key"], [failing["id"]])
    assert failed["status"] == "failed" and failed["extra_fields"]["cost"] == {"usd": 0.0, "final": True}
    spend = key_spend(b, key["id"])
    assert spend["reserved_usd"] == pytest.approx(JOB_COST) and spend["spent_usd"] == 0  # only the stuck one
    assert httpx.delete(f"{a.url}/v1/videos/{stuck['id']}", headers=auth).status_code == 200
    spend = key_spend(b, key["id"])
    assert spend["reserved_usd"] == 0 and spend["spent_usd"] == 0 and spend["remaining_usd"] == 1.0
    done = httpx.post(f"{a.url}/v1/videos", headers=auth, json={**body, "prompt": "a real one"}).json()
    (completed,) = wait_all(b, key["key"], [done["id"]])
    assert completed["extra_fields"]["cost"] == {"usd": pytest.approx(PRICE * SECONDS), "final": True}
    assert key_spend(a, key["id"])["spent_usd"] == pytest.approx(PRICE * SECONDS)


@pytest.mark.slow
def test_sixty_requests_a_minute_counted_over_two_instances(pair) -> None:
    a, b = pair
    key = new_key(a, requests_per_minute=60)
    auth = {"Authorization": f"Bearer {key['key']}"}

    def call(i: int) -> int:
        return httpx.get(f"{(a, b)[i % 2].url}/v1/models", headers=auth, timeout=30).status_code

    started = time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        codes = collections.Counter(pool.map(call, range(100)))
    elapsed = time.monotonic() - started
    assert elapsed < 60, "the burst must fall within one minute for the count to mean anything"
    assert codes == {200: 60, 429: 40}, codes
    print(f"\nshared rate limit: 100 requests over two instances in {elapsed:.1f} s -> {dict(codes)}")
