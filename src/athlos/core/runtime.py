"""The long-lived parts one process shares between requests and jobs."""

from __future__ import annotations

from dataclasses import dataclass, field

from redis.asyncio import Redis

from athlos.core.db import Database
from athlos.core.events.delivery import RetryPolicy
from athlos.core.ratelimit import RateLimiter
from athlos.settings import Settings


@dataclass
class Runtime:
    settings: Settings
    db: Database
    limiter: RateLimiter
    redis: Redis | None = None
    extras: dict[str, object] = field(default_factory=dict)

    @classmethod
    def create(cls, settings: Settings) -> Runtime:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        redis = Redis.from_url(settings.redis_url) if settings.redis_url else None
        return cls(
            settings=settings,
            db=Database(
                settings.effective_database_url,
                pool_size=settings.database_pool_size,
                max_overflow=settings.database_max_overflow,
            ),
            limiter=RateLimiter(settings.redis_url),
            redis=redis,
        )

    @property
    def retry_policy(self) -> RetryPolicy:
        return RetryPolicy(
            max_attempts=self.settings.handler_max_attempts,
            backoff_seconds=self.settings.handler_backoff_seconds,
            backoff_max_seconds=self.settings.handler_backoff_max_seconds,
        )

    async def close(self) -> None:
        if self.redis is not None:
            await self.redis.aclose()
        await self.db.dispose()
