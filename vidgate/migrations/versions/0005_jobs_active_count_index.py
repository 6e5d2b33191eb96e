"""Index for counting a tenant's (or key's) active jobs, which every create does for its quota.

Without it the count walked all of the tenant's jobs: 10,000 finished jobs made each create
scan 10,000 rows.

Revision ID: 0005
Revises: 0004
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_jobs_tenant_status_key", "jobs", ["tenant", "status", "key_id"])


def downgrade() -> None:
    op.drop_index("ix_jobs_tenant_status_key", table_name="jobs")
