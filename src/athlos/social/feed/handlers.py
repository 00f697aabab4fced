"""Feed items follow the activities' events, and feeds follow the follows."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core.events import Event, on
from athlos.core.redis_connection import redis_for_job
from athlos.settings import get_settings
from athlos.social.feed import service
from athlos.social.feed.store import FeedStore
from athlos.social.follows.service import FOLLOWED, UNFOLLOWED


def redis_url() -> str | None:
    """The Redis holding the feeds, read from the process's settings (handlers run in web and worker
    processes alike)."""
    return get_settings().redis_url


@contextlib.asynccontextmanager
async def feed_store() -> AsyncIterator[FeedStore | None]:
    async with redis_for_job(redis_url()) as redis:
        yield FeedStore(redis) if redis is not None else None


@on("activity.created", "activity.updated")
async def put_activity_in_feeds(session: AsyncSession, event: Event) -> None:
    async with feed_store() as store:
        await service.record_activity(session, store, event.payload)


@on("activity.deleted")
async def take_activity_out_of_feeds(session: AsyncSession, event: Event) -> None:
    async with feed_store() as store:
        await service.withdraw(session, store, "activity", uuid.UUID(event.payload["activity_id"]))


@on(FOLLOWED)
async def bring_followed_into_feed(session: AsyncSession, event: Event) -> None:
    async with feed_store() as store:
        follower, author = uuid.UUID(event.payload["actor_id"]), uuid.UUID(event.payload["user_id"])
        await service.bring_in(session, store, follower, author)


@on(UNFOLLOWED)
async def take_unfollowed_out_of_feed(session: AsyncSession, event: Event) -> None:
    async with feed_store() as store:
        follower, author = uuid.UUID(event.payload["actor_id"]), uuid.UUID(event.payload["user_id"])
        await service.take_out(session, store, follower, author)
