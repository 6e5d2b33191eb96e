"""Alembic environment: runs on the connection the app hands over (see store.engine.migrate)."""

from __future__ import annotations

from alembic import context

from vidgate.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `vidgate migrate` (it supplies the connection)")

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
