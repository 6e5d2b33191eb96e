"""The studio: static files under /studio, with a policy that allows nothing but this origin."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    b"default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; "
    b"connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


class Studio:
    def __init__(self, app: ASGIApp, *, prefix: str, files: ASGIApp) -> None:
        self.app = app
        self.prefix = prefix
        self.files = files

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        if scope["path"] == self.prefix:
            await send(
                {
                    "type": "http.response.start",
                    "status": 308,
                    "headers": [(b"location", f"{self.prefix}/".encode())],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return

        async def with_policy(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"content-security-policy", CSP)]
            await send(message)

        child = {
            **scope,
            "root_path": scope.get("root_path", "") + self.prefix,
            "path": scope["path"][len(self.prefix) :],
        }
        await self.files(child, receive, with_policy)
