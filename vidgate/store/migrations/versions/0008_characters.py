"""Characters: named clips of a tenant's whose look later videos can cast.

Revision ID: 0008_characters
Revises: 0007_jobs_trace_context
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_characters"
down_revision = "0007_jobs_trace_context"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "characters",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("tenant", sa.String(100), nullable=False),
        sa.Column("key_id", sa.String(40)),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("asset_id", sa.String(40), nullable=False),
        sa.Column("assets", sa.JSON, nullable=False),
        sa.Column("seconds", sa.Float, nullable=False),
        sa.Column("size", sa.String(20), nullable=False),
        sa.Column("created_at", sa.Integer, nullable=False),
    )
    op.create_index("ix_characters_tenant", "characters", ["tenant", "id"])


def downgrade() -> None:
    op.drop_index("ix_characters_tenant", "characters")
    op.drop_table("characters")
