"""PostgreSQL only: a job inserted ready to run (nobody holds it, no step scheduled) sends NOTIFY
on `vidgate_new_jobs` when its transaction commits, so a worker in any process starts it at once
(store/new_jobs).

Revision ID: 0010_new_job_notify
Revises: 0009_active_job_slots
"""

from alembic import op

revision = "0010_new_job_notify"
down_revision = "0009_active_job_slots"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # one SQLite process pokes its own worker; nobody else can listen
    op.execute(
        "CREATE FUNCTION vidgate_notify_new_job() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN PERFORM pg_notify('vidgate_new_jobs', ''); RETURN NULL; END $$"
    )
    # Not a job its submitter holds while it calls upstream: no worker could claim it yet. One
    # notice per transaction: PostgreSQL folds a transaction's identical notices into one.
    op.execute(
        "CREATE TRIGGER jobs_notify_new AFTER INSERT ON jobs FOR EACH ROW "
        "WHEN (NEW.lease_owner IS NULL AND NEW.next_run_at IS NULL) EXECUTE FUNCTION vidgate_notify_new_job()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS jobs_notify_new ON jobs")
    op.execute("DROP FUNCTION IF EXISTS vidgate_notify_new_job()")
