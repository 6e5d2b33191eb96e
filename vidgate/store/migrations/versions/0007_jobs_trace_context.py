"""The W3C trace context of a job's create (`traceparent`, `tracestate`), kept with the job and with
its webhook events, so a worker's spans and a webhook's delivery join the create's trace.

Revision ID: 0007_jobs_trace_context
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_jobs_trace_context"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("trace_context", sa.JSON, nullable=True))
    with op.batch_alter_table("webhook_deliveries") as batch:
        batch.add_column(sa.Column("trace_context", sa.JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("webhook_deliveries") as batch:
        batch.drop_column("trace_context")
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("trace_context")
