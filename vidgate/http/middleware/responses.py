"""Writing a BifrostError straight to ASGI, for refusals made before the app is reached."""

from __future__ import annotations

import json

from starlette.types import Send

from ...domain import GatewayError
from ..errors import error_body, headers_of, status_of


async def send_error(send: Send, error: GatewayError) -> None:
    body = json.dumps(error_body(error)).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += [(k.lower().encode(), v.encode()) for k, v in headers_of(error).items()]
    await send({"type": "http.response.start", "status": status_of(error), "headers": headers})
    await send({"type": "http.response.body", "body": body})
