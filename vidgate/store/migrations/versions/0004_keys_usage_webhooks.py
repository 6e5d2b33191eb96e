"""API keys kept in the store (hashed), the usage ledger, and the webhook outbox.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("tenant", sa.String(100), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("revoked_at", sa.Float),
        sa.Column("requests_per_minute", sa.Integer),
        sa.Column("max_active_jobs", sa.Integer),
    )
    op.create_table(
        "usage_ledger",
        sa.Column("job_id", sa.String(40), primary_key=True),
        sa.Column("tenant", sa.String(100), nullable=False),
        sa.Column("key_id", sa.String(40), nullable=False),
        sa.Column("provider", sa.String(40), nullable=False),
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("seconds", sa.Integer, nullable=False),
        sa.Column("completed_at", sa.Float, nullable=False),
    )
    op.create_index("ix_usage_tenant", "usage_ledger", ["tenant", "completed_at"])
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("tenant", sa.String(100), nullable=False),
        sa.Column("event_type", sa.String(40), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", sa.Float, nullable=False),
        sa.Column("lease_until", sa.Float),
        sa.Column("last_error", sa.Text),
        sa.Column("created_at", sa.Float, nullable=False),
    )
    op.create_index("ix_webhooks_due", "webhook_deliveries", ["status", "next_attempt_at"])
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("key_id", sa.String(40)))


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("key_id")
    op.drop_table("webhook_deliveries")
    op.drop_table("usage_ledger")
    op.drop_table("api_keys")
