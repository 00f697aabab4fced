"""Gear follows activities: a new one gets the sport's default item, edits and deletions keep every
item's totals the sum of its activities; idempotent."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core.events import Event, on
from athlos.gear import totals


@on("activity.created")
async def assign_default_gear(session: AsyncSession, event: Event) -> None:
    await totals.apply_activity(session, event.payload, created=True)


@on("activity.updated")
async def recount_changed_activity(session: AsyncSession, event: Event) -> None:
    await totals.apply_activity(session, event.payload, created=False)


@on("activity.deleted")
async def uncount_deleted_activity(session: AsyncSession, event: Event) -> None:
    await totals.remove_activity(session, event.payload)
