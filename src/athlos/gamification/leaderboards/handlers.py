"""The leaderboards follow activities, fair play's verdicts and profiles; every handler recounts from
the stored rows, so redelivery changes nothing. Redis, when configured, is written after the totals."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core.events import Event, on
from athlos.core.redis_connection import redis_for_job
from athlos.gamification.leaderboards import service
from athlos.gamification.leaderboards.redis_store import RedisBoards, forget
from athlos.settings import get_settings


def redis_url() -> str | None:
    """The Redis holding the boards' projection, from the process's settings."""
    return get_settings().redis_url


@contextlib.asynccontextmanager
async def boards_store() -> AsyncIterator[RedisBoards | None]:
    async with redis_for_job(redis_url()) as redis:
        yield RedisBoards(redis) if redis is not None else None


@on("activity.created", "activity.updated")
async def count_on_leaderboards(session: AsyncSession, event: Event) -> None:
    async with boards_store() as store:
        await service.count_activity(session, store, event.payload)


@on("activity.deleted")
async def uncount_from_leaderboards(session: AsyncSession, event: Event) -> None:
    async with boards_store() as store:
        await service.remove_activity(session, store, uuid.UUID(event.payload["activity_id"]))


@on("gamification.eligibility_changed")
async def follow_fair_play(session: AsyncSession, event: Event) -> None:
    async with boards_store() as store:
        await service.follow_verdict(session, store, uuid.UUID(event.payload["activity_id"]))


@on("account.profile_updated", "account.email_verified")
async def follow_profile(session: AsyncSession, event: Event) -> None:
    async with boards_store() as store:
        await service.follow_profile(session, store, uuid.UUID(event.payload["user_id"]))


@on("account.deleted")
async def forget_erased_person(session: AsyncSession, event: Event) -> None:
    async with boards_store() as store:
        if store is not None:
            await forget(store.redis, uuid.UUID(event.payload["user_id"]))
