"""Races follow activities: a new or changed activity counts in its owner's window races with its best
effort over each race's distance; a deleted one, or one fair play stops counting, loses its results.
Every handler is idempotent: applying the same activity again changes nothing."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.competitions import window
from athlos.core.events import Event, on


def _ids(event: Event) -> tuple[uuid.UUID, uuid.UUID]:
    return uuid.UUID(event.payload["owner_id"]), uuid.UUID(event.payload["activity_id"])


@on("activity.created", "activity.updated")
async def count_in_window_races(session: AsyncSession, event: Event) -> None:
    await window.count_activity(session, *_ids(event))


@on("gamification.eligibility_changed")
async def follow_fair_play(session: AsyncSession, event: Event) -> None:
    """An activity fair play judged for the first time, or judged again (a flag, staff's review)."""
    if event.payload.get("counted"):
        await window.count_activity(session, *_ids(event))
    else:
        await window.forget_activity(session, *_ids(event))


@on("activity.deleted")
async def remove_deleted_activity(session: AsyncSession, event: Event) -> None:
    await window.forget_activity(session, *_ids(event))
