"""A Redis connection for one job (an event handler): None when no Redis is configured."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from redis.asyncio import Redis


@contextlib.asynccontextmanager
async def redis_for_job(url: str | None) -> AsyncIterator[Redis | None]:
    """A client of ``url`` closed when the job ends, or None without a URL (the embedded default)."""
    if url is None:
        yield None
        return
    redis = Redis.from_url(url)
    try:
        yield redis
    finally:
        await redis.aclose()
