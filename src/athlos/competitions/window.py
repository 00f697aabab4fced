"""Window races: an activity's best effort over the race distance becomes its owner's result.

For every open window race the owner is entered in, of the activity's sport, whose window holds the
activity's start: the fastest stretch of the race's length anywhere on the track (not the activity's
total time) is the result when there is none yet, when it is better than the one there is, or when it
comes from the same activity (its track changed). Only activities fair play counts take part: one it
keeps out (manual, implausible, flagged) loses its results. Applying the same activity again changes
nothing, so a redelivered event does no harm.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.activities import access
from athlos.activities.metrics.efforts import fastest_over
from athlos.activities.metrics.motion import cumulative_distance
from athlos.competitions import events
from athlos.competitions.models import Race, Registration, Result
from athlos.core.db import utcnow
from athlos.core.errors import AppError
from athlos.gamification.fair_play.service import is_eligible


@dataclass(frozen=True, slots=True)
class Counted:
    race_id: uuid.UUID
    elapsed_s: float


async def _races_for(session: AsyncSession, owner_id: uuid.UUID, sport: str, start: object) -> list[Race]:
    rows = await session.scalars(
        select(Race)
        .join(Registration, Registration.race_id == Race.id)
        .where(
            Registration.user_id == owner_id,
            Registration.withdrawn_at.is_(None),
            Race.mode == "window",
            Race.status == "open",
            Race.sport == sport,
            Race.starts_at <= start,
            Race.ends_at >= start,
        )
    )
    return list(rows)


async def _drop(session: AsyncSession, owner_id: uuid.UUID, activity_id: uuid.UUID) -> None:
    """The activity's provisional results go (and those whose activity is gone already)."""
    open_windows = select(Race.id).where(Race.mode == "window", Race.status == "open")
    await session.execute(
        delete(Result).where(
            Result.user_id == owner_id,
            Result.status == "provisional",
            Result.race_id.in_(open_windows),
            (Result.activity_id == activity_id) | Result.activity_id.is_(None),
        )
    )


async def count_activity(session: AsyncSession, owner_id: uuid.UUID, activity_id: uuid.UUID) -> list[Counted]:
    """Apply the activity to the owner's window races; the results it set or bettered."""
    try:
        activity = await access.owned_activity(session, owner_id, activity_id)
    except AppError:
        return []  # deleted since, or not theirs
    races = await _races_for(session, owner_id, activity.sport, activity.start_time)
    # An activity whose sport or start changed leaves the races it no longer belongs to.
    await session.execute(
        delete(Result).where(
            Result.user_id == owner_id,
            Result.activity_id == activity_id,
            Result.status == "provisional",
            Result.race_id.not_in([race.id for race in races]),
        )
    )
    if not races:
        return []
    if not await is_eligible(session, activity_id):
        await _drop(session, owner_id, activity_id)
        return []
    streams, _ = await access.viewable_streams(session, owner_id, activity)
    distance = await asyncio.to_thread(cumulative_distance, streams)
    counted = []
    for race in races:
        elapsed = fastest_over(streams.time, distance, race.distance_m)
        result = await session.get(Result, (race.id, owner_id))
        if result is not None and result.activity_id == activity_id and elapsed is None:
            await session.delete(result)  # the track no longer covers the distance
            continue
        if elapsed is None or not _better(result, activity_id, elapsed):
            continue
        if result is None:
            result = Result(race_id=race.id, user_id=owner_id, elapsed_s=elapsed)
            session.add(result)
        result.elapsed_s, result.activity_id, result.status = elapsed, activity_id, "provisional"
        result.finished_at = utcnow()
        await session.flush()
        events.emit_finished(session, race, owner_id, elapsed, "window")
        counted.append(Counted(race.id, elapsed))
    return counted


def _better(result: Result | None, activity_id: uuid.UUID, elapsed: float) -> bool:
    if result is None:
        return True
    if result.activity_id == activity_id:
        return abs(result.elapsed_s - elapsed) >= 0.05
    return elapsed < result.elapsed_s


async def forget_activity(session: AsyncSession, owner_id: uuid.UUID, activity_id: uuid.UUID) -> None:
    """The activity was deleted or no longer counts: its provisional results go."""
    await _drop(session, owner_id, activity_id)
