"""The jobs table.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("tenant", sa.String(100), nullable=False),
        sa.Column("provider", sa.String(40), nullable=False),
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("progress", sa.Float, nullable=False),
        sa.Column("prompt", sa.Text, nullable=False),
        sa.Column("seconds", sa.Integer, nullable=False),
        sa.Column("size", sa.String(20), nullable=False),
        sa.Column("params", sa.JSON, nullable=False),
        sa.Column("remixed_from", sa.String(100)),
        sa.Column("error_code", sa.String(100)),
        sa.Column("error_message", sa.Text),
        sa.Column("upstream_id", sa.String(200)),
        sa.Column("assets", sa.JSON),
        sa.Column("created_at", sa.Integer, nullable=False),
        sa.Column("completed_at", sa.Integer),
        sa.Column("expires_at", sa.Integer),
        sa.Column("updated_at", sa.Float, nullable=False),
        sa.Column("lease_owner", sa.String(64)),
        sa.Column("lease_until", sa.Float),
        sa.Column("attempts", sa.Integer, nullable=False),
    )
    op.create_index("ix_jobs_tenant_provider_id", "jobs", ["tenant", "provider", "id"])
    op.create_index("ix_jobs_status_lease", "jobs", ["status", "lease_until"])


def downgrade() -> None:
    op.drop_table("jobs")
