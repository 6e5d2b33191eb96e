"""The claim's index holds the active jobs only: (next_run_at, id) where status is queued or
in_progress, instead of next_run_at over every job.

Finished jobs keep their last next_run_at, the oldest of all, so the claim's range scan on the
old index walked every finished job still kept before reaching an active one: with 100,000 kept
(a day's retention at about one job a second), an idle claim took 20 ms on SQLite and 45 ms on
PostgreSQL, five times a second per worker. The claim's query names the same statuses as
literals, so both databases know the partial index answers it.

Revision ID: 0011_active_jobs_due_index
Revises: 0010_new_job_notify
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_active_jobs_due_index"
down_revision = "0010_new_job_notify"
branch_labels = None
depends_on = None

ACTIVE = sa.text("status IN ('queued', 'in_progress')")


def upgrade() -> None:
    op.create_index(
        "ix_jobs_active_due", "jobs", ["next_run_at", "id"], sqlite_where=ACTIVE, postgresql_where=ACTIVE
    )
    op.drop_index("ix_jobs_next_run_at", table_name="jobs")


def downgrade() -> None:
    op.create_index("ix_jobs_next_run_at", "jobs", ["next_run_at"])
    op.drop_index("ix_jobs_active_due", table_name="jobs")
