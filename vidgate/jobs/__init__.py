"""The background work: the worker that claims jobs under leases and advances them through their
provider, the sweeper of expired files, and webhook delivery. It runs in the server process, or in
worker processes of its own."""

from .sweeper import Sweeper
from .webhooks import WebhookDispatcher
from .worker import Worker

__all__ = ["Sweeper", "WebhookDispatcher", "Worker"]
