"""Assets as HTTP responses, streamed whole or in one byte range (local files and object stores alike)."""

from __future__ import annotations

import re
from pathlib import Path

from starlette.datastructures import Headers
from starlette.responses import Response, StreamingResponse

from ..assets import Asset
from .errors import HttpRefusal

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """A single `bytes=` range as [start, end); None means the whole file (ignored or absent)."""
    match = _RANGE.match(header.strip())
    if not match or (not match.group(1) and not match.group(2)):
        return None  # multiple or malformed ranges: serve the whole file, as RFC 9110 allows
    first, last = match.groups()
    if first:
        start, end = int(first), (int(last) + 1 if last else size)
    else:
        start, end = max(0, size - int(last)), size
    if start >= size or start >= end:
        raise HttpRefusal(
            416,
            "range_not_satisfiable",
            f"the Range {header!r} is outside the file ({size} bytes)",
            headers={"Content-Range": f"bytes */{size}"},
        )
    return start, min(end, size)


def asset_response(asset: Asset, request_headers: Headers, video_id: str, variant: str) -> Response:
    """The asset as a response, named `<job id>-<variant>.<ext>` for the browser's save dialog."""
    download_name = f"{video_id.split(':', 1)[0]}-{variant}{Path(asset.filename).suffix}"
    common = {"ETag": asset.etag, "Cache-Control": "private, max-age=3600"}
    headers = common | {
        "Accept-Ranges": "bytes",
        "Content-Disposition": f'inline; filename="{download_name}"',
    }
    window = _byte_range(request_headers["range"], asset.size) if "range" in request_headers else None
    if window is None:
        headers["Content-Length"] = str(asset.size)
        return StreamingResponse(asset.read(0, asset.size), media_type=asset.content_type, headers=headers)
    start, end = window
    headers |= {"Content-Length": str(end - start), "Content-Range": f"bytes {start}-{end - 1}/{asset.size}"}
    return StreamingResponse(
        asset.read(start, end), status_code=206, media_type=asset.content_type, headers=headers
    )
