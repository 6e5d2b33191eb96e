"""`vidgate usage`: your tenant's spend in dollars and seconds, and what your budgets have left."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table
from vidgate_client.api.usage import usage_summary

from .client import DEFAULT_URL, AsJson, Key, Url, call, out, user_client


def usage(
    since: Annotated[int, typer.Option(help="Unix seconds (default: all time).")] = 0,
    url: Url = DEFAULT_URL,
    key: Key = None,
    as_json: AsJson = False,
) -> None:
    """Spend per key, provider, model and day, and the budgets your jobs count against."""
    with user_client(url, key) as client:
        report = call(usage_summary.sync_detailed, client=client, since=since).parsed
    if as_json:
        print(json.dumps(report.to_dict()))
        return
    table = Table("day", "key", "provider", "model", "videos", "seconds", "cost")
    for row in report.data:
        table.add_row(
            str(row.day), str(row.key_id or ""), row.provider, row.model, str(row.videos), str(row.seconds),
            f"${row.cost_usd:,.2f}",
        )  # fmt: skip
    out.print(table)
    out.print(f"total: ${report.total_cost_usd:,.2f} for {report.total_seconds} s of video")
    for budget in report.budgets:
        who = f"key {budget.key_id}" if budget.scope.value == "key" else f"tenant {budget.tenant}"
        out.print(
            f"{who}: ${budget.spent_usd:,.2f} spent and ${budget.reserved_usd:,.2f} held of "
            f"${budget.limit_usd:,.2f} this {budget.period.value}; ${budget.remaining_usd:,.2f} left "
            f"until {budget.resets_at}"
        )
