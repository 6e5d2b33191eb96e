"""Spend in dollars: cost and reservations on jobs, budgets on keys and tenants, the counters that
hold them across instances, cost and day in the usage ledger, and rate-limit hits shared by all
instances.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("reserved_usd", sa.Float))
        batch.add_column(sa.Column("cost_usd", sa.Float))
        batch.add_column(sa.Column("reservations", sa.JSON))
    with op.batch_alter_table("usage_ledger") as batch:
        batch.add_column(sa.Column("cost_usd", sa.Float))
        batch.add_column(sa.Column("day", sa.String(10)))
    with op.batch_alter_table("api_keys") as batch:
        batch.add_column(sa.Column("budget_usd", sa.Float))
        batch.add_column(sa.Column("budget_period", sa.String(10)))
    op.create_table(
        "tenants",
        sa.Column("tenant", sa.String(100), primary_key=True),
        sa.Column("budget_usd", sa.Float),
        sa.Column("budget_period", sa.String(10)),
        sa.Column("max_active_jobs", sa.Integer),
        sa.Column("updated_at", sa.Float, nullable=False),
    )
    op.create_table(
        "spend_periods",
        sa.Column("scope", sa.String(10), primary_key=True),  # key | tenant
        sa.Column("scope_id", sa.String(100), primary_key=True),
        sa.Column("period", sa.String(20), primary_key=True),  # month:2026-11 | day:2026-11-29
        # integer micro-dollars: concurrent reservations and settlements add up exactly
        sa.Column("spent_micro_usd", sa.BigInteger, nullable=False),
        sa.Column("reserved_micro_usd", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "rate_limit_hits",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key_id", sa.String(40), nullable=False),
        sa.Column("at", sa.Float, nullable=False),
    )
    op.create_index("ix_rate_limit_hits_key_at", "rate_limit_hits", ["key_id", "at"])
    op.create_index("ix_usage_tenant_day", "usage_ledger", ["tenant", "day"])


def downgrade() -> None:
    op.drop_index("ix_usage_tenant_day", "usage_ledger")
    op.drop_index("ix_rate_limit_hits_key_at", "rate_limit_hits")
    op.drop_table("rate_limit_hits")
    op.drop_table("spend_periods")
    op.drop_table("tenants")
    with op.batch_alter_table("api_keys") as batch:
        batch.drop_column("budget_period")
        batch.drop_column("budget_usd")
    with op.batch_alter_table("usage_ledger") as batch:
        batch.drop_column("day")
        batch.drop_column("cost_usd")
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("reservations")
        batch.drop_column("cost_usd")
        batch.drop_column("reserved_usd")
