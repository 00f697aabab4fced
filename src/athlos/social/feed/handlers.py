"""Feed items follow the activities' events and what people achieve (badges, levels, goals, challenges,
races), and feeds follow the follows. Points awarded per activity are not feed items: the activity is."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.competitions import results
from athlos.core.events import Event, on
from athlos.core.redis_connection import redis_for_job
from athlos.settings import get_settings
from athlos.social.feed import achievements, service
from athlos.social.feed.achievements import BADGE, CHALLENGE, GOAL, LEVEL, RACE, subject_of
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


async def _keep_achievement(
    event: Event, session: AsyncSession, kind: str, subject: uuid.UUID, facts: dict[str, Any]
) -> None:
    async with feed_store() as store:
        await service.keep_item(
            session,
            store,
            kind=kind,
            subject_id=subject,
            author_id=uuid.UUID(event.payload["user_id"]),
            occurred_at=event.occurred_at,
            facts=facts,
        )


@on("gamification.badge_awarded")
async def put_badge_in_feeds(session: AsyncSession, event: Event) -> None:
    p = event.payload
    await _keep_achievement(
        event, session, BADGE, subject_of(BADGE, p["user_id"], p["badge_id"]), achievements.badge_facts(p)
    )


@on("gamification.badge_revoked")
async def take_badge_out_of_feeds(session: AsyncSession, event: Event) -> None:
    async with feed_store() as store:
        subject = subject_of(BADGE, event.payload["user_id"], event.payload["badge_id"])
        await service.withdraw(session, store, BADGE, subject)


@on("gamification.level_reached")
async def put_level_in_feeds(session: AsyncSession, event: Event) -> None:
    p = event.payload
    await _keep_achievement(
        event, session, LEVEL, subject_of(LEVEL, p["user_id"], p["level"]), {"level": p["level"]}
    )


@on("gamification.goal_reached")
async def put_goal_in_feeds(session: AsyncSession, event: Event) -> None:
    p = event.payload
    subject = subject_of(GOAL, p["goal_id"], p["period_start"])
    await _keep_achievement(event, session, GOAL, subject, achievements.goal_facts(p))


@on("gamification.challenge_completed")
async def put_challenge_in_feeds(session: AsyncSession, event: Event) -> None:
    p = event.payload
    subject = subject_of(CHALLENGE, p["user_id"], p["challenge_id"])
    await _keep_achievement(event, session, CHALLENGE, subject, achievements.challenge_facts(p))


@on("competitions.finished")
async def put_race_finish_in_feeds(session: AsyncSession, event: Event) -> None:
    """A race finished: one item per person and race, its time the best so far (a better window effort
    changes the time, not the item's place in feeds)."""
    p = event.payload
    subject = subject_of(RACE, p["user_id"], p["race_id"])
    async with feed_store() as store:
        known = await service.item_of(session, RACE, subject)
        await service.keep_item(
            session,
            store,
            kind=RACE,
            subject_id=subject,
            author_id=uuid.UUID(p["user_id"]),
            occurred_at=known.occurred_at if known is not None else event.occurred_at,
            facts={**achievements.race_facts(p), "elapsed_s": float(p["elapsed_s"]), "place": None},
        )


@on("competitions.results_final")
async def put_race_places_in_feeds(session: AsyncSession, event: Event) -> None:
    """The results are final: each finisher's item shows their final time and place; a disqualified
    finisher's item goes."""
    race_id = uuid.UUID(event.payload["race_id"])
    async with feed_store() as store:
        for user_id, elapsed_s, place in await results.final_places(session, race_id):
            item = await service.item_of(session, RACE, subject_of(RACE, user_id, race_id))
            if item is not None:
                item.facts = {**(item.facts or {}), "elapsed_s": elapsed_s, "place": place, "final": True}
        for user_id in await results.disqualified_ids(session, race_id):
            await service.withdraw(session, store, RACE, subject_of(RACE, user_id, race_id))
        await session.flush()
