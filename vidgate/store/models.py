"""Table definitions; the Alembic migrations are the source of the schema, these mirror them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, BigInteger, Float, Index, Integer, String, Text, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from ..domain import ACTIVE, JobRecord, JobStatus, SubmitState

# A job is active, with its statuses as literals (not parameters): a query that says so in these
# words lets SQLite and PostgreSQL answer it from the partial index on active jobs.
ACTIVE_SQL = text("status IN (" + ", ".join(f"'{status}'" for status in ACTIVE) + ")")


class Base(DeclarativeBase):
    pass


class JobRow(Base):
    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(100))
    provider: Mapped[str] = mapped_column(String(40))
    model: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    prompt: Mapped[str] = mapped_column(Text)
    seconds: Mapped[int] = mapped_column(Integer)
    size: Mapped[str] = mapped_column(String(20))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    remixed_from: Mapped[str | None] = mapped_column(String(100), nullable=True)
    error_code: Mapped[str | None] = mapped_column(String(100), nullable=True)
    error_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    upstream_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    assets: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[int] = mapped_column(Integer)
    completed_at: Mapped[int | None] = mapped_column(Integer, nullable=True)
    expires_at: Mapped[int | None] = mapped_column(Integer, nullable=True)
    updated_at: Mapped[float] = mapped_column(Float)
    lease_owner: Mapped[str | None] = mapped_column(String(64), nullable=True)
    lease_until: Mapped[float | None] = mapped_column(Float, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    upstream: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    submit_state: Mapped[str] = mapped_column(String(20), default="none")
    next_run_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    key_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    reserved_usd: Mapped[float | None] = mapped_column(Float, nullable=True)
    cost_usd: Mapped[float | None] = mapped_column(Float, nullable=True)
    reservations: Mapped[list | None] = mapped_column(JSON, nullable=True)
    trace_context: Mapped[dict | None] = mapped_column(JSON, nullable=True)

    __table_args__ = (
        Index("ix_jobs_tenant_provider_id", "tenant", "provider", "id"),
        # the claim's: active jobs only, by when their next step is due (migration 0011)
        Index(
            "ix_jobs_active_due",
            "next_run_at",
            "id",
            sqlite_where=ACTIVE_SQL,
            postgresql_where=ACTIVE_SQL,
        ),
        Index("ix_jobs_expires_at", "expires_at"),
        Index("ix_jobs_tenant_status_key", "tenant", "status", "key_id"),
    )


class IdempotencyRow(Base):
    __tablename__ = "idempotency_keys"

    tenant: Mapped[str] = mapped_column(String(100), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    job_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    created_at: Mapped[float] = mapped_column(Float)

    __table_args__ = (Index("ix_idempotency_created_at", "created_at"),)


class ApiKeyRow(Base):
    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[float] = mapped_column(Float)
    revoked_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    requests_per_minute: Mapped[int | None] = mapped_column(Integer, nullable=True)
    max_active_jobs: Mapped[int | None] = mapped_column(Integer, nullable=True)
    budget_usd: Mapped[float | None] = mapped_column(Float, nullable=True)
    budget_period: Mapped[str | None] = mapped_column(String(10), nullable=True)


class TenantRow(Base):
    __tablename__ = "tenants"

    tenant: Mapped[str] = mapped_column(String(100), primary_key=True)
    budget_usd: Mapped[float | None] = mapped_column(Float, nullable=True)
    budget_period: Mapped[str | None] = mapped_column(String(10), nullable=True)
    max_active_jobs: Mapped[int | None] = mapped_column(Integer, nullable=True)
    updated_at: Mapped[float] = mapped_column(Float)


class SpendPeriodRow(Base):
    __tablename__ = "spend_periods"

    scope: Mapped[str] = mapped_column(String(10), primary_key=True)
    scope_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    period: Mapped[str] = mapped_column(String(20), primary_key=True)
    spent_micro_usd: Mapped[int] = mapped_column(BigInteger)
    reserved_micro_usd: Mapped[int] = mapped_column(BigInteger)


class ActiveJobSlotsRow(Base):
    """Jobs queued or in progress per tenant or key (store/active_slots)."""

    __tablename__ = "active_job_slots"

    scope: Mapped[str] = mapped_column(String(10), primary_key=True)  # "tenant" or "key"
    scope_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    active: Mapped[int] = mapped_column(Integer)


class RateLimitHitRow(Base):
    __tablename__ = "rate_limit_hits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key_id: Mapped[str] = mapped_column(String(40))
    at: Mapped[float] = mapped_column(Float)

    __table_args__ = (Index("ix_rate_limit_hits_key_at", "key_id", "at"),)


class UsageRow(Base):
    __tablename__ = "usage_ledger"

    job_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(100))
    key_id: Mapped[str] = mapped_column(String(40))
    provider: Mapped[str] = mapped_column(String(40))
    model: Mapped[str] = mapped_column(String(200))
    seconds: Mapped[int] = mapped_column(Integer)
    completed_at: Mapped[float] = mapped_column(Float)
    cost_usd: Mapped[float | None] = mapped_column(Float, nullable=True)
    day: Mapped[str | None] = mapped_column(String(10), nullable=True)

    __table_args__ = (
        Index("ix_usage_tenant", "tenant", "completed_at"),
        Index("ix_usage_tenant_day", "tenant", "day"),
    )


class CharacterRow(Base):
    __tablename__ = "characters"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(100))
    key_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    name: Mapped[str] = mapped_column(String(200))
    asset_id: Mapped[str] = mapped_column(String(40))
    assets: Mapped[dict] = mapped_column(JSON)
    seconds: Mapped[float] = mapped_column(Float)
    size: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_characters_tenant", "tenant", "id"),)


class WebhookRow(Base):
    __tablename__ = "webhook_deliveries"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(100))
    event_type: Mapped[str] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(Integer)
    next_attempt_at: Mapped[float] = mapped_column(Float)
    lease_until: Mapped[float | None] = mapped_column(Float, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[float] = mapped_column(Float)
    trace_context: Mapped[dict | None] = mapped_column(JSON, nullable=True)

    __table_args__ = (Index("ix_webhooks_due", "status", "next_attempt_at"),)


def record_from_row(row: Any) -> JobRecord:
    """A job row (ORM object or Core row) as the domain's record."""
    return JobRecord(
        id=row.id,
        tenant=row.tenant,
        provider=row.provider,
        model=row.model,
        status=JobStatus(row.status),
        prompt=row.prompt,
        seconds=row.seconds,
        size=row.size,
        created_at=row.created_at,
        progress=row.progress,
        params=dict(row.params or {}),
        remixed_from=row.remixed_from,
        error_code=row.error_code,
        error_message=row.error_message,
        upstream_id=row.upstream_id,
        assets=dict(row.assets) if row.assets else None,
        completed_at=row.completed_at,
        expires_at=row.expires_at,
        attempts=row.attempts,
        lease_owner=row.lease_owner,
        upstream=dict(row.upstream) if row.upstream else None,
        submit_state=SubmitState(row.submit_state or "none"),
        key_id=row.key_id,
        reserved_usd=row.reserved_usd,
        cost_usd=row.cost_usd,
        reservations=tuple(row.reservations or ()),
        trace_context=dict(row.trace_context) if row.trace_context else None,
    )
