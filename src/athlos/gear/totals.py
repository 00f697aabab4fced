"""Gear totals from activity events: each activity's assignment row keeps the distance and time it
counts, and an item's totals are recomputed from its rows whenever one of them changes. So an edit
(sport, distance, gear) or a deletion leaves every total exactly the sum of its activities, and
applying the same event twice changes nothing. Crossing 80 % and 100 % of an item's wear limit tells
its owner, once per item and threshold."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any, Final, Protocol

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core.events import emit
from athlos.gear.models import GearAssignment, GearDefault, GearItem
from athlos.gear.wear import reached_threshold, wear_limit

# The event each wear threshold is told by.
REMINDER_EVENTS: Final = {80: "gear.wear_near", 100: "gear.wear_reached"}


class CountedActivity(Protocol):
    """What an assignment counts of an activity (the activities domain's row has these)."""

    id: uuid.UUID
    owner_id: uuid.UUID
    sport: str
    distance_m: float | None
    moving_time_s: float | None
    elapsed_time_s: float | None


def _time(moving: Any, elapsed: Any) -> float:
    return float(moving if moving is not None else elapsed or 0.0)


async def default_gear(session: AsyncSession, owner_id: uuid.UUID, sport: str) -> uuid.UUID | None:
    """The owner's default item for the sport, unless it is retired."""
    return await session.scalar(
        select(GearDefault.gear_id)
        .join(GearItem, GearItem.id == GearDefault.gear_id)
        .where(GearDefault.owner_id == owner_id, GearDefault.sport == sport, GearItem.retired_at.is_(None))
    )


async def apply_activity(session: AsyncSession, payload: Mapping[str, Any], *, created: bool) -> None:
    """An activity was created or changed: count it with its gear (a new one gets the sport's default;
    a changed sport moves an automatic choice to the new sport's default)."""
    activity_id = uuid.UUID(payload["activity_id"])
    owner_id = uuid.UUID(payload["owner_id"])
    sport = str(payload["sport"])
    row = await session.get(GearAssignment, activity_id)
    if row is None:
        if not created:
            return  # an activity from before gear was kept: it gets gear when its owner chooses some
        row = GearAssignment(
            activity_id=activity_id,
            owner_id=owner_id,
            gear_id=await default_gear(session, owner_id, sport),
            sport=sport,
            automatic=True,
        )
        session.add(row)
    touched = {row.gear_id}
    if row.automatic and row.sport != sport:
        row.gear_id = await default_gear(session, owner_id, sport)
    row.sport = sport
    row.distance_m = float(payload.get("distance_m") or 0.0)
    row.time_s = _time(payload.get("moving_time_s"), payload.get("elapsed_time_s"))
    touched.add(row.gear_id)
    await recount(session, touched)  # its sums flush the row first


async def remove_activity(session: AsyncSession, payload: Mapping[str, Any]) -> None:
    row = await session.get(GearAssignment, uuid.UUID(payload["activity_id"]))
    if row is None:
        return
    gear_id = row.gear_id
    await session.delete(row)
    await recount(session, {gear_id})


async def choose(session: AsyncSession, activity: CountedActivity, gear_id: uuid.UUID | None) -> None:
    """The owner chose the activity's gear (or none): it stays until they choose again."""
    row = await session.get(GearAssignment, activity.id)
    if row is None:
        row = GearAssignment(activity_id=activity.id, owner_id=activity.owner_id)
        session.add(row)
    touched = {row.gear_id, gear_id}
    row.gear_id = gear_id
    row.automatic = False
    row.sport = activity.sport
    row.distance_m = float(activity.distance_m or 0.0)
    row.time_s = _time(activity.moving_time_s, activity.elapsed_time_s)
    await recount(session, touched)


async def recount(session: AsyncSession, gear_ids: Iterable[uuid.UUID | None]) -> None:
    """Set each item's totals to the sums of its assignments, and send the reminders they call for."""
    for gear_id in {g for g in gear_ids if g is not None}:
        item = await session.get(GearItem, gear_id)
        if item is None:
            continue
        distance, time, count = (
            await session.execute(
                select(
                    func.coalesce(func.sum(GearAssignment.distance_m), 0.0),
                    func.coalesce(func.sum(GearAssignment.time_s), 0.0),
                    func.count(),
                ).where(GearAssignment.gear_id == gear_id)
            )
        ).one()
        item.distance_m, item.time_s, item.activity_count = float(distance), float(time), int(count)
        await remind(session, item)
    await session.flush()


async def remind(session: AsyncSession, item: GearItem) -> None:
    """Tell the owner of the highest threshold newly reached (a lower one skipped is not told after)."""
    if item.retired_at is not None:
        return
    total = item.starting_distance_m + item.distance_m
    limit = wear_limit(item.kind, item.wear_limit_m)
    reached = reached_threshold(total, limit)
    if reached <= (item.reminded_percent or 0) or limit is None:
        return
    item.reminded_percent = reached
    emit(
        session,
        REMINDER_EVENTS[reached],
        item.id,
        {
            "user_id": str(item.owner_id),
            "gear_id": str(item.id),
            "brand": item.brand,
            "model": item.model,
            "percent": reached,
            "distance_km": round(total / 1000),
            "limit_km": round(limit / 1000),
        },
    )
