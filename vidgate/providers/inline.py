"""Videos a provider answers inline, as base64 inside a JSON answer (Vertex's `bytesBase64Encoded`, the
Interactions API's `data`): written to the staging file a slice at a time, so the decoded video is
never held whole in memory next to its base64 text."""

from __future__ import annotations

import asyncio
import base64
import binascii
from pathlib import Path

from ..upstream import UpstreamError

SLICE = 1 << 20  # base64 characters per slice: a multiple of 4, so every slice decodes on its own


def decoded_size(data: str) -> int:
    return len(data) // 4 * 3 - data[-2:].count("=") if data else 0


def _write(provider: str, data: str, dest: Path, max_bytes: int) -> int:
    if decoded_size(data) > max_bytes:
        raise UpstreamError(provider, f"asset larger than {max_bytes} bytes")
    written = 0
    with dest.open("wb") as f:
        for start in range(0, len(data), SLICE):
            try:
                chunk = base64.b64decode(data[start : start + SLICE], validate=True)
            except (binascii.Error, ValueError) as exc:
                raise UpstreamError(provider, "the inline video is not valid base64", retryable=True) from exc
            f.write(chunk)
            written += len(chunk)
    return written


async def save_base64(provider: str, data: str, dest: Path, max_bytes: int) -> int:
    """Decode `data` into `dest` off the event loop; the bytes written."""
    return await asyncio.to_thread(_write, provider, data, dest, max_bytes)
