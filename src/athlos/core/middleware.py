"""ASGI middleware: request ids, access logs and metrics, and the request body size limit."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

import structlog
from fastapi.routing import iter_route_contexts
from prometheus_client import Counter, Histogram
from starlette.exceptions import HTTPException
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from athlos.core.errors import problem_response

log = structlog.get_logger("athlos.http")

REQUESTS = Counter("athlos_http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram(
    "athlos_http_request_duration_seconds",
    "HTTP request latency",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)

_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def _route_template(scope: Scope) -> str:
    """The path template of the route that answered (``/api/v1/activities/{activity_id}``), so that
    metrics are counted per route, not per URL."""
    if scope["method"] == "HEAD":  # answered by the GET route (athlos.core.head)
        scope = {**scope, "method": "GET"}
    router = getattr(scope.get("app"), "router", None)
    # Route contexts: included routers' routes with their prefixes (FastAPI keeps them nested).
    for route in iter_route_contexts(getattr(router, "routes", ())):
        match, _ = route.matches(scope)
        if match == Match.FULL:
            return str(route.path or scope["path"])
    return "unmatched"


def _templates_by_route(scope: Scope) -> dict[int, tuple[Any, str]]:
    """Each route's path template, by the route object FastAPI puts in the scope when the route answers
    (``scope["route"]``); a route included under more than one path is left to ``_route_template``."""
    router = getattr(scope.get("app"), "router", None)
    found: dict[int, tuple[Any, set[str]]] = {}
    for context in iter_route_contexts(getattr(router, "routes", ())):
        route = context.original_route
        found.setdefault(id(route), (route, set()))[1].add(str(context.path or ""))
    return {key: (route, next(iter(paths))) for key, (route, paths) in found.items() if len(paths) == 1}


class RequestContextMiddleware:
    """Gives every request an id (echoed as ``X-Request-ID``), logs it and counts it by route."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._templates: dict[int, tuple[Any, str]] | None = None

    def _template(self, scope: Scope) -> str:
        """The answering route's template: looked up by the route FastAPI chose, so a request is matched
        against the routes once, not again here (a few hundred of them cost a millisecond)."""
        route = scope.get("route")
        if route is not None:
            if self._templates is None:
                self._templates = _templates_by_route(scope)
            known = self._templates.get(id(route))
            if known is not None and known[0] is route:
                return known[1]
        return _route_template(scope)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = self._template(scope)
            method = scope["method"]
            REQUESTS.labels(method, route, str(status)).inc()
            LATENCY.labels(method, route).observe(elapsed)
            log.info(
                "request",
                method=method,
                path=scope["path"],
                route=route,
                status=status,
                duration_ms=round(elapsed * 1000, 2),
            )
            structlog.contextvars.clear_contextvars()


class BodySizeLimitMiddleware:
    """Refuses bodies over the limit with 413, by ``Content-Length`` or while streaming."""

    def __init__(self, app: ASGIApp, max_bytes: int, max_json_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_json_bytes = max_json_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        content_type = headers.get(b"content-type", b"").decode("latin-1").lower()
        limit = self.max_bytes if content_type.startswith("multipart/") else self.max_json_bytes
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(scope, receive, send, limit)
            return
        received = 0
        response_started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _BodyTooLarge:
            if not response_started:
                await self._refuse(scope, receive, send, limit)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        response = problem_response(
            413,
            "payload_too_large",
            f"The request body is larger than the limit of {limit} bytes.",
            instance=scope["path"],
            limit_bytes=limit,
        )
        await response(scope, receive, send)


class _BodyTooLarge(HTTPException):
    """Raised while the body streams in; an HTTPException so that body parsing passes it through."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The request body is larger than the limit of {limit} bytes.")


def client_ip(scope_or_request: Any) -> str:
    client = getattr(scope_or_request, "client", None)
    return client.host if client else "unknown"
