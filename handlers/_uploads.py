"""Multipart request bodies: form fields as a dict, an uploaded image as a data URL."""

from __future__ import annotations

import base64
from typing import Any

from starlette.datastructures import UploadFile


async def as_data_url(upload: Any) -> str | None:
    if upload is None or isinstance(upload, str):
        return upload
    data = await upload.read() if isinstance(upload, UploadFile) else bytes(upload)
    mime = getattr(upload, "content_type", None) or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


async def request_fields(
    body: dict[str, Any] | None, form: dict[str, Any], allowed: tuple[str, ...]
) -> dict[str, Any]:
    """Connexion hands JSON as `body` and form fields as keyword arguments: one dict either way."""
    fields = {k: v for k, v in {**(body or {}), **form}.items() if k in allowed and v is not None}
    if "input_reference" in fields:
        fields["input_reference"] = await as_data_url(fields["input_reference"])
    return fields
