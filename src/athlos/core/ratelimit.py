"""Rate limits on the ``limits`` library: in memory for one process, in Redis when several share them."""

from __future__ import annotations

import math
import time
from urllib.parse import urlsplit

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter, SlidingWindowCounterRateLimiter
from limits.storage import storage_from_string

from athlos.core.errors import RateLimited


class RateLimiter:
    def __init__(self, redis_url: str | None = None, namespace: str = "athlos") -> None:
        storage = (
            storage_from_string(redis_url.replace("redis://", "async+redis://", 1), key_prefix=namespace)
            if redis_url
            else MemoryStorage()
        )
        assert isinstance(storage, Storage)
        self.storage: Storage = storage
        parts = urlsplit(redis_url) if redis_url else None
        # Where the counters live, without credentials: names the storage in logs and metrics.
        self.target = f"redis:{parts.hostname}:{parts.port or 6379}" if parts else "memory"
        self._limiter = MovingWindowRateLimiter(self.storage)
        # Two counters per window instead of an entry per use: for budgets of thousands a day (API quotas).
        self.sliding = SlidingWindowCounterRateLimiter(self.storage)

    async def hit(self, limit: str | RateLimitItem, *identifiers: str, cost: int = 1) -> None:
        """Count one use against ``limit`` (e.g. ``"5/minute"``); raise :class:`RateLimited` when over."""
        item = parse(limit) if isinstance(limit, str) else limit
        if not await self._limiter.hit(item, *identifiers, cost=cost):
            raise RateLimited(await self.retry_after(item, *identifiers))

    async def test(self, limit: str | RateLimitItem, *identifiers: str) -> bool:
        """Whether one more use would be allowed, without counting it."""
        item = parse(limit) if isinstance(limit, str) else limit
        return await self._limiter.test(item, *identifiers)

    async def retry_after(self, limit: str | RateLimitItem, *identifiers: str) -> int:
        item = parse(limit) if isinstance(limit, str) else limit
        stats = await self._limiter.get_window_stats(item, *identifiers)
        return max(1, math.ceil(stats.reset_time - time.time()))

    async def clear(self, limit: str | RateLimitItem, *identifiers: str) -> None:
        item = parse(limit) if isinstance(limit, str) else limit
        await self._limiter.clear(item, *identifiers)

    async def check_storage(self) -> bool:
        return bool(await self.storage.check())
