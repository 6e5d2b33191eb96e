"""Indexes that keep per-request and per-claim queries small with thousands of jobs in flight.

- Counting a tenant's (or key's) active jobs, which every create does for its quota, walked all
  of the tenant's jobs; (tenant, status, key_id) answers it from the index.
- The worker's claim (due jobs, oldest first) was planned on (status, lease_until) plus a sort
  of every active job: 3.8 ms per claim with 10,000 in flight, five claims a second. Without
  that index SQLite takes the range of due jobs on next_run_at (0.01 ms); nothing else used it.

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
    op.drop_index("ix_jobs_status_lease", table_name="jobs")


def downgrade() -> None:
    op.create_index("ix_jobs_status_lease", "jobs", ["status", "lease_until"])
    op.drop_index("ix_jobs_tenant_status_key", table_name="jobs")
