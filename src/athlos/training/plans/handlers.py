"""Plans follow activities: a new one ticks off the day's planned workout, an edited one is matched
again (its day or sport may have changed), a deleted one opens its workout again; and each plan
reminds of its workouts on their mornings. Idempotent."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core.db import utcnow
from athlos.core.events import Event, on
from athlos.core.events.delivery import Deferred
from athlos.training.plans import reminders, service


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


@on(reminders.SCHEDULED)
async def remind_of_planned_workout(session: AsyncSession, event: Event) -> None:
    """Waits until the next workout's reminder is due (see :mod:`reminders`)."""
    wait = await reminders.remind(session, event.payload, utcnow())
    if wait is not None:
        raise Deferred(wait, "the workout's reminder is not due yet")
