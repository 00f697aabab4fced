"""HEAD wherever GET answers: FastAPI's routes accept only the methods they declare, so a HEAD request
is answered by the GET route, with the same status and headers (``Content-Length`` included) and no
body. A response that streams (a file, server-sent events that never end) is stopped at its first
chunk.

It sits innermost in the middleware and hands the route a copy of the scope, so the layers outside it
(request log, metrics, rate limits, CSRF) and the server itself, which sends no body for a HEAD and
checks ``Content-Length`` otherwise, see the request as the HEAD it is.
"""

from __future__ import annotations

import contextlib

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class _BodyNotWanted(Exception):
    """Raised from ``send`` into a streaming response once a HEAD request has had its headers."""


class HeadAsGetMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_without_body(message: Message) -> None:
            if message["type"] != "http.response.body":
                await send(message)
                return
            await send({"type": "http.response.body", "body": b""})
            if message.get("more_body", False):
                raise _BodyNotWanted

        with contextlib.suppress(_BodyNotWanted):
            await self.app({**scope, "method": "GET"}, receive, send_without_body)
