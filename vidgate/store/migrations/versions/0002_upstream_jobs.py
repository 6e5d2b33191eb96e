"""Upstream jobs: provider bookkeeping, submission state, and when to poll next.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("upstream", sa.JSON))
        batch.add_column(sa.Column("submit_state", sa.String(20), nullable=False, server_default="none"))
        batch.add_column(sa.Column("next_run_at", sa.Float))
    op.create_index("ix_jobs_next_run_at", "jobs", ["next_run_at"])


def downgrade() -> None:
    op.drop_index("ix_jobs_next_run_at", "jobs")
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("next_run_at")
        batch.drop_column("submit_state")
        batch.drop_column("upstream")
