"""Every table and every query: jobs (their leases and active-job slots), API keys, idempotency
records, the usage ledger, the webhook outbox and characters; SQLAlchemy 2 async over SQLite
(embedded) or PostgreSQL (several instances), with Alembic migrations."""

from .active_slots import SlotRefused
from .api_keys import ApiKeyStore, StoredKey
from .characters import CharacterStore
from .engine import migrate, open_engine
from .errors import database_unavailable
from .idempotency import Claim, IdempotencyState, IdempotencyStore
from .jobs import JobStore
from .new_jobs import NewJobListener
from .outbox import OutboxEvent, WebhookOutbox
from .rate_limits import RateLimitStore
from .spend import ReservationRefused, SpendCounters
from .tenants import TenantPolicy, TenantStore
from .usage import UsageLedger, UsageLine

__all__ = [
    "ApiKeyStore",
    "CharacterStore",
    "Claim",
    "IdempotencyState",
    "IdempotencyStore",
    "JobStore",
    "NewJobListener",
    "OutboxEvent",
    "RateLimitStore",
    "ReservationRefused",
    "SlotRefused",
    "SpendCounters",
    "StoredKey",
    "TenantPolicy",
    "TenantStore",
    "UsageLedger",
    "UsageLine",
    "WebhookOutbox",
    "database_unavailable",
    "migrate",
    "open_engine",
]
