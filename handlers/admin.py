"""The admin API (x-admin-key): keys with their limits and budgets, tenants, spend."""

from __future__ import annotations

from typing import Any

from vidgate.http import wire
from vidgate.http.context import gateway


async def admin_key_create(body: dict[str, Any], user: str) -> tuple[dict[str, Any], int]:
    plain, key, status = await gateway().admin.create_key(body)
    return wire.api_key(key, status, plain), 201


async def admin_key_list(user: str, tenant: str | None = None) -> tuple[dict[str, Any], int]:
    keys = await gateway().admin.list_keys(tenant)
    return {"object": "list", "data": [wire.api_key(k, s) for k, s in keys]}, 200


async def admin_key_retrieve(key_id: str, user: str) -> tuple[dict[str, Any], int]:
    return wire.api_key(*await gateway().admin.key(key_id)), 200


async def admin_key_update(key_id: str, body: dict[str, Any], user: str) -> tuple[dict[str, Any], int]:
    return wire.api_key(*await gateway().admin.update_key(key_id, body)), 200


async def admin_key_revoke(key_id: str, user: str) -> tuple[dict[str, Any], int]:
    return wire.api_key(*await gateway().admin.revoke_key(key_id)), 200


async def admin_tenant_list(user: str) -> tuple[dict[str, Any], int]:
    tenants = await gateway().admin.list_tenants()
    return {"object": "list", "data": [wire.tenant(p, s) for p, s in tenants]}, 200


async def admin_tenant_retrieve(tenant: str, user: str) -> tuple[dict[str, Any], int]:
    return wire.tenant(*await gateway().admin.tenant(tenant)), 200


async def admin_tenant_update(tenant: str, body: dict[str, Any], user: str) -> tuple[dict[str, Any], int]:
    return wire.tenant(*await gateway().admin.update_tenant(tenant, body)), 200


async def admin_spend_report(
    user: str, tenant: str | None = None, since: int = 0, until: int | None = None
) -> tuple[dict[str, Any], int]:
    lines = await gateway().admin.spend_report(tenant, float(since), None if until is None else float(until))
    return wire.spend_report(lines, since, until), 200
