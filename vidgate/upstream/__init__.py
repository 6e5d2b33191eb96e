"""Talking HTTP to the outside: providers through one client with one retry policy, and URLs
callers chose through a guard that connects only to the addresses it checked."""

from .caller_media import fetch_image, parse_data_url
from .client import UpstreamClient
from .errors import UpstreamError
from .guarded import AddressPolicy, AddressRefused, guarded_client

__all__ = [
    "AddressPolicy",
    "AddressRefused",
    "UpstreamClient",
    "UpstreamError",
    "fetch_image",
    "guarded_client",
    "parse_data_url",
]
