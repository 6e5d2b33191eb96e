"""The admin API: keys with budgets and limits, tenants, spend; only an admin key opens it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.server import ServerProcess

ADMIN = "vg-admin-test-key-0001"
USER = "vg-admin-test-user-0001"
A = {"x-admin-key": ADMIN}


@pytest.fixture(scope="module")
def admin_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    data = tmp_path_factory.mktemp("admin")
    server = ServerProcess(data, env={"VIDGATE_ADMIN_KEYS": ADMIN, "VIDGATE_API_KEYS": USER}).start()
    yield server
    server.stop()


def test_an_ordinary_key_cannot_open_the_admin_api(admin_server: ServerProcess) -> None:
    url = f"{admin_server.url}/admin/v1/keys"
    for headers in ({}, {"Authorization": f"Bearer {USER}"}, {"x-admin-key": USER}, {"x-api-key": ADMIN}):
        r = httpx.get(url, headers=headers)
        assert r.status_code == 401, (headers, r.text)
        assert r.json()["error"]["code"] == "invalid_api_key"
    # and the admin key is no API key either
    assert (
        httpx.get(f"{admin_server.url}/v1/usage", headers={"Authorization": f"Bearer {ADMIN}"}).status_code
        == 401
    )


def test_keys_are_created_with_budgets_changed_and_revoked(admin_server: ServerProcess) -> None:
    with httpx.Client(base_url=f"{admin_server.url}/admin/v1", headers=A) as admin:
        made = admin.post(
            "/keys",
            json={
                "tenant": "acme",
                "name": "ci",
                "requests_per_minute": 60,
                "max_active_jobs": 5,
                "budget": {"usd": 50, "period": "month"},
            },
        )
        assert made.status_code == 201, made.text
        key = made.json()
        assert key["key"].startswith("vg-") and key["budget"] == {"usd": 50.0, "period": "month"}
        assert key["spend"]["remaining_usd"] == 50.0 and key["spend"]["scope"] == "key"
        listed = admin.get("/keys", params={"tenant": "acme"}).json()["data"]
        assert [k["id"] for k in listed] == [key["id"]] and "key" not in listed[0]  # never shown again
        changed = admin.patch(f"/keys/{key['id']}", json={"budget": None, "requests_per_minute": 120}).json()
        assert "budget" not in changed and changed["requests_per_minute"] == 120
        # the key works, then stops working once revoked
        user = {"Authorization": f"Bearer {key['key']}"}
        assert httpx.get(f"{admin_server.url}/v1/usage", headers=user).status_code == 200
        revoked = admin.post(f"/keys/{key['id']}/revoke").json()
        assert revoked["revoked"] is True
        import time

        time.sleep(1.2)  # the key cache lives one second
        assert httpx.get(f"{admin_server.url}/v1/usage", headers=user).status_code == 401
        assert admin.get("/keys/key_nope").status_code == 404
        bad = admin.post("/keys", json={"tenant": "acme", "budget": {"usd": -1, "period": "month"}})
        assert bad.status_code == 400


def test_tenants_get_budgets_and_job_limits(admin_server: ServerProcess) -> None:
    with httpx.Client(base_url=f"{admin_server.url}/admin/v1", headers=A) as admin:
        fresh = admin.get("/tenants/globex").json()
        assert fresh == {"tenant": "globex"}
        set_ = admin.put(
            "/tenants/globex", json={"budget": {"usd": 10, "period": "day"}, "max_active_jobs": 3}
        )
        assert set_.status_code == 200, set_.text
        assert set_.json()["spend"]["period"] == "day" and set_.json()["max_active_jobs"] == 3
        assert "globex" in [t["tenant"] for t in admin.get("/tenants").json()["data"]]
        cleared = admin.put("/tenants/globex", json={"budget": None}).json()
        assert "budget" not in cleared and cleared["max_active_jobs"] == 3


def test_the_spend_report_covers_every_tenant(admin_server: ServerProcess, tmp_path: Path) -> None:
    user = {"Authorization": f"Bearer {USER}"}
    job = httpx.post(
        f"{admin_server.url}/v1/videos",
        headers=user,
        json={"model": "local/default", "prompt": "spent", "seconds": 1, "size": "64x64"},
    ).json()
    import time

    for _ in range(100):
        if (
            httpx.get(f"{admin_server.url}/v1/videos/{job['id']}", headers=user).json()["status"]
            == "completed"
        ):
            break
        time.sleep(0.1)
    report = httpx.get(f"{admin_server.url}/admin/v1/spend", headers=A).json()
    assert report["object"] == "spend" and report["total_seconds"] >= 1
    row = next(r for r in report["data"] if r["model"] == "default")
    assert row["tenant"].startswith("tenant_") and row["cost_usd"] == 0.0 and row["day"]
