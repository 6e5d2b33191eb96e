"""Request bodies as one dict of fields, whatever their encoding: JSON (with OpenAI's image reference
object `{image_url}` / `{file_id}`), or multipart form fields with an uploaded image (a data URL);
and a source video as an upload (its bytes) or by id (`{"video": {"id"}}`, a form's `video[id]`)."""

from __future__ import annotations

import base64
from typing import Any

from starlette.datastructures import UploadFile

from vidgate.domain import InvalidRequest

REFERENCE = "input_reference"
# Connexion hands bracketed form fields over under sanitised names: `video[id]` as `video_id`,
# `characters[][id]` as `characters_id`.
FORM_VIDEO_ID = ("video[id]", "video_id")
FORM_CHARACTER_ID = ("characters[][id]", "characters_id")


async def as_data_url(upload: Any) -> str | None:
    if upload is None or isinstance(upload, str):
        return upload
    data = await upload.read() if isinstance(upload, UploadFile) else bytes(upload)
    mime = getattr(upload, "content_type", None) or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def image_reference(reference: dict[str, Any]) -> str:
    """OpenAI's reference object: `image_url` is what the provider fetches; there is no Files API."""
    if "file_id" in reference:
        raise InvalidRequest(
            "input_reference.file_id names a file in OpenAI's Files API, which this gateway does not "
            "have; send the image itself (a multipart file) or input_reference.image_url (an http(s) "
            "URL or a base64 data URL)",
            code="file_id_not_supported",
            param=REFERENCE,
        )
    return str(reference["image_url"])


async def request_fields(
    body: dict[str, Any] | None, form: dict[str, Any], allowed: tuple[str, ...]
) -> dict[str, Any]:
    """Connexion hands JSON as `body` and form fields as keyword arguments: one dict either way."""
    fields = {k: v for k, v in {**(body or {}), **form}.items() if k in allowed and v is not None}
    if isinstance(fields.get("seconds"), str) and fields["seconds"].isdigit():  # form fields are strings
        fields["seconds"] = int(fields["seconds"])
    merged = {**(body or {}), **form}
    characters = merged.get("characters")
    if isinstance(characters, list):  # JSON: [{"id": ...}]
        fields["characters"] = [c["id"] for c in characters if isinstance(c, dict) and "id" in c]
    elif "characters" in allowed:
        found = next((merged[k] for k in FORM_CHARACTER_ID if merged.get(k)), None)
        if found:
            fields["characters"] = found if isinstance(found, list) else [found]
    if isinstance(fields.get(REFERENCE), dict):
        fields[REFERENCE] = image_reference(fields[REFERENCE])
    elif REFERENCE in fields:
        fields[REFERENCE] = await as_data_url(fields[REFERENCE])
    return fields


async def source_fields(
    body: dict[str, Any] | None, form: dict[str, Any], allowed: tuple[str, ...]
) -> tuple[dict[str, Any], bytes | None]:
    """An edit's, extension's or character's fields, and the uploaded video's bytes (None when the
    source is named by id, as `video_id`)."""
    merged = {**(body or {}), **form}
    fields = {k: v for k, v in merged.items() if k in allowed and v is not None}
    video = merged.get("video")
    upload = None
    if isinstance(video, dict):
        fields["video_id"] = str(video.get("id", ""))
    elif isinstance(video, UploadFile):
        upload = await video.read()
    elif isinstance(video, (bytes, str)):  # a form field that was sent as text, not a file
        upload = video.encode() if isinstance(video, str) else video
    else:
        found = next((merged[k] for k in FORM_VIDEO_ID if merged.get(k)), None)
        if found:
            fields["video_id"] = str(found)
    if isinstance(fields.get("seconds"), str) and fields["seconds"].isdigit():
        fields["seconds"] = int(fields["seconds"])
    return fields, upload
