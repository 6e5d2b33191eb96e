"""`vidgate keys|tenants|spend`: the operator's commands, through the admin API (x-admin-key) and the
generated client: keys with their limits and budgets, tenants' budgets, spend across tenants."""

from __future__ import annotations

import json
import time
from typing import Annotated, Any

import typer
from rich.table import Table
from vidgate_client.api.admin import (
    admin_key_create,
    admin_key_list,
    admin_key_revoke,
    admin_key_update,
    admin_spend_report,
    admin_tenant_retrieve,
    admin_tenant_update,
)
from vidgate_client.models import (
    ApiKeyCreate,
    ApiKeyUpdate,
    BudgetChangeType0,
    BudgetChangeType0Period,
    BudgetSetting,
    BudgetSettingPeriod,
    TenantUpdate,
)
from vidgate_client.types import UNSET

from .client import DEFAULT_URL, AdminKey, AsJson, Url, admin_client, call, err, out

keys = typer.Typer(help="API keys with their limits and budgets (the admin API).", no_args_is_help=True)
tenants = typer.Typer(help="Tenants' budgets and job limits (the admin API).", no_args_is_help=True)

Budget = Annotated[float | None, typer.Option("--budget-usd", help="Dollars per period.", min=0)]
Period = Annotated[str, typer.Option("--period", help="The budget's period: day or month.")]
Rpm = Annotated[int | None, typer.Option("--rpm", help="Requests per minute (every instance counts).", min=1)]
MaxJobs = Annotated[int | None, typer.Option("--max-jobs", help="Queued + in-progress jobs at once.", min=1)]


def _period(period: str) -> str:
    if period not in ("day", "month"):
        err.print("[red]--period must be day or month[/red]")
        raise typer.Exit(2)
    return period


def _money(value: Any) -> str:
    return "" if value in (None, UNSET) else f"${value:,.2f}"


def _when(ts: Any) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.gmtime(ts)) if isinstance(ts, int | float) else ""


def _print_keys(found: list[Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps([k.to_dict() for k in found]))
        return
    table = Table("id", "tenant", "name", "created", "revoked", "rpm", "max jobs", "budget", "spent", "left")
    for k in found:
        budget, spend = k.budget, k.spend
        table.add_row(
            k.id,
            k.tenant,
            k.name,
            _when(k.created_at),
            _when(k.revoked_at),
            str(k.requests_per_minute or ""),
            str(k.max_active_jobs or ""),
            f"{_money(budget.usd)}/{budget.period.value}" if budget else "",
            _money(spend.spent_usd) if spend else "",
            _money(spend.remaining_usd) if spend else "",
        )
    out.print(table)


@keys.command("create")
def keys_create(
    tenant: Annotated[str, typer.Option(help="Who owns the jobs made with this key.")],
    name: Annotated[str, typer.Option(help="A label, e.g. the app or person using it.")] = "default",
    rpm: Rpm = None,
    max_jobs: MaxJobs = None,
    budget_usd: Budget = None,
    period: Period = "month",
    url: Url = DEFAULT_URL,
    admin_key: AdminKey = None,
    as_json: AsJson = False,
) -> None:
    """Make a key; it is printed once and stored only as a hash."""
    body = ApiKeyCreate(tenant=tenant, name=name)
    if rpm is not None:
        body.requests_per_minute = rpm
    if max_jobs is not None:
        body.max_active_jobs = max_jobs
    if budget_usd is not None:
        body.budget = BudgetSetting(usd=budget_usd, period=BudgetSettingPeriod(_period(period)))
    with admin_client(url, admin_key) as client:
        made = call(admin_key_create.sync_detailed, client=client, body=body).parsed
    if as_json:
        print(json.dumps(made.to_dict()))
        return
    err.print(f"key {made.id} for tenant {tenant!r} (shown once, keep it safe):")
    print(made.key)


@keys.command("list")
def keys_list(
    tenant: Annotated[str | None, typer.Option()] = None,
    url: Url = DEFAULT_URL,
    admin_key: AdminKey = None,
    as_json: AsJson = False,
) -> None:
    """List stored keys (ids, never the keys), with their budgets and spend this period."""
    with admin_client(url, admin_key) as client:
        found = call(admin_key_list.sync_detailed, client=client, tenant=tenant or UNSET).parsed
    _print_keys(found.data, as_json)


@keys.command("update")
def keys_update(
    key_id: str,
    name: Annotated[str | None, typer.Option()] = None,
    rpm: Rpm = None,
    max_jobs: MaxJobs = None,
    budget_usd: Budget = None,
    period: Period = "month",
    no_budget: Annotated[bool, typer.Option("--no-budget", help="Remove the key's budget.")] = False,
    url: Url = DEFAULT_URL,
    admin_key: AdminKey = None,
    as_json: AsJson = False,
) -> None:
    """Change a key's name, limits or budget; it applies on every instance within a second."""
    body = ApiKeyUpdate()
    if name is not None:
        body.name = name
    if rpm is not None:
        body.requests_per_minute = rpm
    if max_jobs is not None:
        body.max_active_jobs = max_jobs
    if no_budget:
        body.budget = None
    elif budget_usd is not None:
        body.budget = BudgetChangeType0(usd=budget_usd, period=BudgetChangeType0Period(_period(period)))
    with admin_client(url, admin_key) as client:
        changed = call(admin_key_update.sync_detailed, key_id, client=client, body=body).parsed
    _print_keys([changed], as_json)


@keys.command("revoke")
def keys_revoke(key_id: str, url: Url = DEFAULT_URL, admin_key: AdminKey = None) -> None:
    """Revoke a key: it stops working within a second on every instance."""
    with admin_client(url, admin_key) as client:
        revoked = call(admin_key_revoke.sync_detailed, key_id, client=client).parsed
    err.print(f"revoked {revoked.id}")


def _print_tenant(found: Any, as_json: bool) -> None:
    if as_json:
        print(json.dumps(found.to_dict()))
        return
    budget, spend = found.budget, found.spend
    limit = f"{_money(budget.usd)}/{budget.period.value}" if budget else "none"
    spent, left = (_money(spend.spent_usd), _money(spend.remaining_usd)) if spend else ("-", "-")
    jobs = found.max_active_jobs or "default"
    out.print(f"{found.tenant}: budget {limit}, spent {spent}, left {left}, max jobs {jobs}")


@tenants.command("show")
def tenants_show(
    tenant: str, url: Url = DEFAULT_URL, admin_key: AdminKey = None, as_json: AsJson = False
) -> None:
    """A tenant's budget, job limit and spend this period."""
    with admin_client(url, admin_key) as client:
        _print_tenant(call(admin_tenant_retrieve.sync_detailed, tenant, client=client).parsed, as_json)


@tenants.command("set")
def tenants_set(
    tenant: str,
    budget_usd: Budget = None,
    period: Period = "month",
    max_jobs: MaxJobs = None,
    no_budget: Annotated[bool, typer.Option("--no-budget", help="Remove the tenant's budget.")] = False,
    url: Url = DEFAULT_URL,
    admin_key: AdminKey = None,
    as_json: AsJson = False,
) -> None:
    """Set a tenant's budget or job limit."""
    body = TenantUpdate()
    if max_jobs is not None:
        body.max_active_jobs = max_jobs
    if no_budget:
        body.budget = None
    elif budget_usd is not None:
        body.budget = BudgetChangeType0(usd=budget_usd, period=BudgetChangeType0Period(_period(period)))
    with admin_client(url, admin_key) as client:
        _print_tenant(
            call(admin_tenant_update.sync_detailed, tenant, client=client, body=body).parsed, as_json
        )


def spend(
    tenant: Annotated[str | None, typer.Option(help="One tenant (default: all).")] = None,
    since: Annotated[int, typer.Option(help="Unix seconds.")] = 0,
    url: Url = DEFAULT_URL,
    admin_key: AdminKey = None,
    as_json: AsJson = False,
) -> None:
    """Spend in dollars and seconds per tenant, key, provider, model and day (the admin API)."""
    with admin_client(url, admin_key) as client:
        report = call(
            admin_spend_report.sync_detailed, client=client, tenant=tenant or UNSET, since=since
        ).parsed
    if as_json:
        print(json.dumps(report.to_dict()))
        return
    table = Table("day", "tenant", "key", "provider", "model", "videos", "seconds", "cost")
    for row in report.data:
        table.add_row(
            str(row.day), str(row.tenant or ""), str(row.key_id or ""), row.provider, row.model,
            str(row.videos), str(row.seconds), _money(row.cost_usd),
        )  # fmt: skip
    out.print(table)
    out.print(f"total: {_money(report.total_cost_usd)} for {report.total_seconds} s of video")
