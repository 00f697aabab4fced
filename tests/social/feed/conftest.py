"""The feed tests run twice: on the embedded default (no Redis) and with the feeds in Redis."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from athlos.settings import Settings
from athlos.social.feed import handlers
from tests import servers


@pytest.fixture(params=["embedded", "redis"])
async def feed_redis(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Redis | None]:
    """The Redis the feeds live in (None: the embedded default), emptied of feeds before and after."""
    if request.param == "embedded":
        monkeypatch.setattr(handlers, "redis_url", lambda: None)
        yield None
        return
    url = servers.require("redis")
    monkeypatch.setattr(handlers, "redis_url", lambda: url)
    redis = Redis.from_url(url)

    async def forget_feeds() -> None:
        async for key in redis.scan_iter(match="athlos:feed:*"):
            await redis.delete(key)

    await forget_feeds()
    yield redis
    await forget_feeds()
    await redis.aclose()


@pytest.fixture
def settings(settings: Settings, feed_redis: Redis | None) -> Settings:
    return settings.model_copy(update={"redis_url": servers.REDIS_URL if feed_redis is not None else None})


@pytest.fixture
def no_achievements(monkeypatch: pytest.MonkeyPatch) -> None:
    """Feeds of activities only: the badges and levels the activities earn stay out of them."""

    async def keep_nothing(*args: object) -> None:
        return None

    monkeypatch.setattr(handlers, "_keep_achievement", keep_nothing)
