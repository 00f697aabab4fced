"""Plans follow activities: a new one ticks off the day's planned workout, an edited one is matched
again (its day or sport may have changed), a deleted one opens its workout again; idempotent."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core.events import Event, on
from athlos.training.plans import service


@on("activity.created")
async def tick_off_planned_workout(session: AsyncSession, event: Event) -> None:
    await service.tick_off(session, event.payload)


@on("activity.updated")
async def match_edited_activity_again(session: AsyncSession, event: Event) -> None:
    await service.untick(session, event.payload)
    await service.tick_off(session, event.payload)


@on("activity.deleted")
async def reopen_planned_workout(session: AsyncSession, event: Event) -> None:
    await service.untick(session, event.payload)
