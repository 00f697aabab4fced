"""Gamification follows activities (each change settles fair play, points, goals, badges and
challenges) and the profile's time zone; idempotent."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core.events import Event, on
from athlos.gamification import service


@on("activity.created", "activity.updated")
async def count_activity(session: AsyncSession, event: Event) -> None:
    await service.apply_activity(session, event.payload)


@on("activity.deleted")
async def uncount_activity(session: AsyncSession, event: Event) -> None:
    await service.remove_activity(session, event.payload)


@on("account.profile_updated")
async def follow_time_zone(session: AsyncSession, event: Event) -> None:
    await service.follow_time_zone(session, uuid.UUID(event.payload["user_id"]))
