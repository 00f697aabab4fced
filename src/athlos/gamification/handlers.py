"""Gamification follows activities (each change settles fair play, points, goals, badges and
challenges), the profile's time zone and races' finishes (points and race badges, once per race);
idempotent."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core.events import Event, on
from athlos.gamification import service
from athlos.gamification.badges import service as badges
from athlos.gamification.points import service as points


@on("activity.created", "activity.updated")
async def count_activity(session: AsyncSession, event: Event) -> None:
    await service.apply_activity(session, event.payload)


@on("activity.deleted")
async def uncount_activity(session: AsyncSession, event: Event) -> None:
    await service.remove_activity(session, event.payload)


@on("account.profile_updated")
async def follow_time_zone(session: AsyncSession, event: Event) -> None:
    await service.follow_time_zone(session, uuid.UUID(event.payload["user_id"]))


@on("competitions.finished")
async def reward_race_finish(session: AsyncSession, event: Event) -> None:
    """Finishing a race gives its points and the race badges the races finished earn, once per race: a
    better time later, or the same event again, changes nothing."""
    user_id, race_id = uuid.UUID(event.payload["user_id"]), uuid.UUID(event.payload["race_id"])
    today = await service.today_of(session, user_id, event.occurred_at)
    sport = str(event.payload.get("sport") or "other")
    if await points.award_for_race(session, user_id, race_id, sport, today):
        await badges.award_for_races(
            session, user_id, await points.races_finished(session, user_id), event.occurred_at
        )
