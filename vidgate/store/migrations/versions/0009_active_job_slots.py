"""Active-job slots: per tenant and per key, the jobs queued or in progress, kept as counters.

Revision ID: 0009_active_job_slots
Revises: 0008_characters
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_active_job_slots"
down_revision = "0008_characters"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "active_job_slots",
        sa.Column("scope", sa.String(10), primary_key=True),
        sa.Column("scope_id", sa.String(100), primary_key=True),
        sa.Column("active", sa.Integer, nullable=False),
    )
    # What runs now holds its slots from the start (every instance must run this version or later).
    op.execute(
        "INSERT INTO active_job_slots (scope, scope_id, active) "
        "SELECT 'tenant', tenant, COUNT(*) FROM jobs "
        "WHERE status IN ('queued', 'in_progress') GROUP BY tenant"
    )
    op.execute(
        "INSERT INTO active_job_slots (scope, scope_id, active) "
        "SELECT 'key', key_id, COUNT(*) FROM jobs "
        "WHERE status IN ('queued', 'in_progress') AND key_id IS NOT NULL GROUP BY key_id"
    )


def downgrade() -> None:
    op.drop_table("active_job_slots")
