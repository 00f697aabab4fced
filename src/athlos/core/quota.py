"""Quotas on the whole API, per client and class of request, announced in headers the way Strava does.

A client is its sign-in session when the request carries a valid access token (a hash of it, never the
token), else its IP address. Each class of request — reads (GET, HEAD, OPTIONS), writes (POST, PUT,
PATCH, DELETE), uploads (routes marked with :data:`UPLOAD_QUOTA`: activity files and recorded
points) and live progress (routes marked with :data:`LIVE_QUOTA`, counted per live token: a race's
phones often share one IP behind a carrier's NAT) — has its own budget of a short and a daily window,
counted by sliding-window counters so a burst across a window's edge cannot double it. The counters
live in the rate limiter's storage: Redis
when several processes share the budget, memory in one process.

Every API answer carries ``X-RateLimit-Limit: <short>,<daily>`` and ``X-RateLimit-Remaining:
<short>,<daily>`` for the class of that request; a refused one is 429 problem+json ``rate_limited``
with ``Retry-After`` in seconds.
"""

from __future__ import annotations

import asyncio
import enum
import hashlib
import math
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import structlog
from fastapi import FastAPI
from limits import RateLimitItem, parse_many
from prometheus_client import Counter
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from athlos.core.breaker import BreakerPolicy, CircuitOpen, local_circuit
from athlos.core.errors import RateLimited, problem_response
from athlos.core.ratelimit import RateLimiter
from athlos.settings import Settings

log = structlog.get_logger(__name__)

REFUSALS = Counter("athlos_rate_limit_refusals_total", "API requests refused by a quota", ["quota"])

QUOTA_CLASS_KEY = "x-quota-class"
# ``openapi_extra`` of the routes that take files or recorded points: they spend the upload budget.
UPLOAD_QUOTA: dict[str, Any] = {QUOTA_CLASS_KEY: "upload"}
# ... and the live race ingest: its own budget, per participant's live token.
LIVE_QUOTA: dict[str, Any] = {QUOTA_CLASS_KEY: "live"}

# When the counters' storage fails three times running, quotas pause for ten seconds.
STORAGE_CIRCUIT = BreakerPolicy(failure_threshold=3, cooldown_seconds=10.0, trial_seconds=5.0)

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MARKED = frozenset({"upload", "live"})


class QuotaClass(enum.StrEnum):
    READ = "read"
    WRITE = "write"
    UPLOAD = "upload"
    LIVE = "live"


@dataclass(frozen=True, slots=True)
class Verdict:
    allowed: bool
    limits: tuple[int, ...]
    remaining: tuple[int, ...]
    retry_after: int = 0

    def headers(self) -> dict[str, str]:
        headers = {
            "X-RateLimit-Limit": ",".join(map(str, self.limits)),
            "X-RateLimit-Remaining": ",".join(map(str, self.remaining)),
        }
        if not self.allowed:
            headers["Retry-After"] = str(self.retry_after)
        return headers


class ApiQuota:
    """The budgets of each class; :meth:`spend` counts one request against them."""

    def __init__(self, budgets: dict[QuotaClass, Sequence[RateLimitItem]]) -> None:
        self.budgets = budgets

    @classmethod
    def from_settings(cls, settings: Settings) -> ApiQuota:
        return cls(
            {
                QuotaClass.READ: parse_many(settings.rate_limit_read),
                QuotaClass.WRITE: parse_many(settings.rate_limit_write),
                QuotaClass.UPLOAD: parse_many(settings.rate_limit_upload),
                QuotaClass.LIVE: parse_many(settings.rate_limit_live),
            }
        )

    async def spend(self, limiter: RateLimiter, quota: QuotaClass, client: str) -> Verdict:
        """Count one request of ``client`` in every window of ``quota``, shortest first.

        A request refused by a window is not counted in it nor in the longer ones after it, so a
        client waiting out its short window keeps its daily budget.
        """
        windows = self.budgets[quota]
        identifiers = ("api", quota.value, client)
        refused: RateLimitItem | None = None
        for window in windows:
            if not await limiter.sliding.hit(window, *identifiers):
                refused = window
                break
        stats = await asyncio.gather(
            *(limiter.sliding.get_window_stats(window, *identifiers) for window in windows)
        )
        limits = tuple(window.amount for window in windows)
        remaining = tuple(max(0, stat.remaining) for stat in stats)
        if refused is None:
            return Verdict(True, limits, remaining)
        reset_at = stats[windows.index(refused)].reset_time
        return Verdict(False, limits, remaining, retry_after=max(1, math.ceil(reset_at - time.time())))


ClientKey = Callable[[str], str | None]


class ApiQuotaMiddleware:
    """Counts every request under ``prefix`` against its client's quota; answers 429 when it is spent.

    ``authenticated_client`` maps the ``Authorization`` header to a stable key of the signed-in client
    (``None`` for anonymous or invalid credentials, which then count by IP). The limiter is the
    runtime's, found on the app when the request arrives. While the limiter's storage fails, requests
    are served without quotas (fail open), and a breaker spares them the wait on it.
    """

    def __init__(self, app: ASGIApp, quota: ApiQuota, authenticated_client: ClientKey, prefix: str) -> None:
        self.app = app
        self.quota = quota
        self.authenticated_client = authenticated_client
        self.prefix = prefix
        self._marked_operations: list[tuple[str, re.Pattern[str], QuotaClass]] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            self._marked(scope["app"])  # the OpenAPI document is built at startup, not on a request
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        quota = self._classify(scope)
        client = self._client(scope, quota)
        try:
            limiter: RateLimiter = scope["app"].state.runtime.limiter
            async with local_circuit(f"rate-limit-storage:{limiter.target}", STORAGE_CIRCUIT):
                verdict = await self.quota.spend(limiter, quota, client)
        except Exception as exc:
            # The API keeps serving while the counters cannot be reached, without waiting on them.
            if not isinstance(exc, CircuitOpen):
                log.exception("rate_limit_storage_failed", quota=quota.value)
            await self.app(scope, receive, send)
            return
        headers = verdict.headers()
        if not verdict.allowed:
            REFUSALS.labels(quota.value).inc()
            error = RateLimited(
                verdict.retry_after,
                f"The {quota.value} quota of this client is spent; try again in {verdict.retry_after} s.",
            )
            response = problem_response(
                error.status,
                error.code,
                error.detail,
                instance=scope["path"],
                headers=headers,
                quota=quota.value,
            )
            await response(scope, receive, send)
            return
        extra = [(name.lower().encode(), value.encode()) for name, value in headers.items()]

        async def send_with_quota(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_quota)

    def _client(self, scope: Scope, quota: QuotaClass) -> str:
        authorization = next((v for k, v in scope["headers"] if k == b"authorization"), b"")
        if quota is QuotaClass.LIVE and authorization:
            return "live:" + hashlib.sha256(authorization).hexdigest()[:32]
        if authorization:
            key = self.authenticated_client(authorization.decode("latin-1"))
            if key is not None:
                return key
        client = scope.get("client")
        return f"ip:{client[0] if client else 'unknown'}"

    def _classify(self, scope: Scope) -> QuotaClass:
        if scope["method"] in READ_METHODS:
            return QuotaClass.READ
        method, path = scope["method"], scope["path"]
        for marked_method, pattern, quota in self._marked(scope["app"]):
            if method == marked_method and pattern.match(path):
                return quota
        return QuotaClass.WRITE

    def _marked(self, app: FastAPI) -> list[tuple[str, re.Pattern[str], QuotaClass]]:
        """The operations marked with :data:`UPLOAD_QUOTA` or :data:`LIVE_QUOTA`, read once from the
        OpenAPI document."""
        if self._marked_operations is None:
            self._marked_operations = [
                (method.upper(), compile_path(path)[0], QuotaClass(operation[QUOTA_CLASS_KEY]))
                for path, operations in app.openapi().get("paths", {}).items()
                for method, operation in operations.items()
                if isinstance(operation, dict) and operation.get(QUOTA_CLASS_KEY) in MARKED
            ]
        return self._marked_operations
