"""Points: settling a day's points under the cap, the balance, the level and the history.

The balance is the sum of the history. A change never edits an entry: settling a day compares what each
of its activities earns now with what it was given, and writes the difference as a new entry.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core.errors import InvalidInput
from athlos.core.events import emit
from athlos.core.pagination import decode_cursor, paginate
from athlos.gamification.models import ActivityRecord, Player
from athlos.gamification.points import effort
from athlos.gamification.points.models import PointsEntry

POINTS_AWARDED = "gamification.points_awarded"
# Points for completing a challenge, whatever its size: one for each person and challenge.
CHALLENGE_POINTS = 100
RACE_POINTS = 50
LEVEL_REACHED = "gamification.level_reached"


async def balance(session: AsyncSession, user_id: uuid.UUID) -> int:
    total = await session.scalar(select(func.sum(PointsEntry.points)).where(PointsEntry.owner_id == user_id))
    return int(total or 0)


def _entry(session: AsyncSession, record: ActivityRecord, points: int, reason: str) -> None:
    session.add(
        PointsEntry(
            owner_id=record.owner_id,
            activity_id=record.activity_id,
            sport=record.sport,
            local_date=record.local_date,
            points=points,
            reason=reason,
        )
    )


def _told(session: AsyncSession, record: ActivityRecord, change: int) -> None:
    emit(
        session,
        POINTS_AWARDED,
        record.owner_id,
        {
            "user_id": str(record.owner_id),
            "activity_id": str(record.activity_id),
            "points": change,
            "activity_points": record.awarded_points,
        },
    )


async def settle_day(session: AsyncSession, owner_id: uuid.UUID, day: date) -> None:
    """Give each of the owner's activities of a local day what it earns under the cap, in start order."""
    records = list(
        await session.scalars(
            select(ActivityRecord)
            .where(ActivityRecord.owner_id == owner_id, ActivityRecord.local_date == day)
            .order_by(ActivityRecord.start_time, ActivityRecord.activity_id)
        )
    )
    earned = effort.capped([record.effort_points for record in records])
    for record, points in zip(records, earned, strict=True):
        change = points - record.awarded_points
        if change == 0:
            continue
        # An activity moved to another day keeps its points until that day is settled: its entry says
        # "corrected" there, never a second "awarded".
        first = record.awarded_points == 0 and not await _has_entries(session, record.activity_id)
        record.awarded_points = points
        _entry(session, record, change, "awarded" if first else "corrected")
        _told(session, record, change)
    await session.flush()


async def _has_entries(session: AsyncSession, activity_id: uuid.UUID) -> bool:
    found = await session.scalar(
        select(PointsEntry.id).where(PointsEntry.activity_id == activity_id).limit(1)
    )
    return found is not None


async def take_back(session: AsyncSession, record: ActivityRecord) -> None:
    """The points of an activity that is deleted, as a negative entry."""
    if record.awarded_points:
        change = -record.awarded_points
        record.awarded_points = 0
        _entry(session, record, change, "removed")
        _told(session, record, change)
        await session.flush()


async def settle_level(session: AsyncSession, owner_id: uuid.UUID) -> None:
    """Tell of a level the person reaches for the first time (losing points never takes it back)."""
    player = await session.get(Player, owner_id)
    if player is None:
        return
    level = effort.level_of(await balance(session, owner_id))
    if level > player.top_level:
        player.top_level = level
        emit(session, LEVEL_REACHED, owner_id, {"user_id": str(owner_id), "level": level})
        await session.flush()


async def standing(session: AsyncSession, user_id: uuid.UUID) -> dict[str, Any]:
    """The balance, its level and the way to the next one."""
    progress = effort.progress_of(await balance(session, user_id))
    return {
        "points": progress.points,
        "level": progress.level,
        "level_points": progress.floor,
        "next_level_points": progress.next_threshold,
        "share": progress.share,
        "daily_cap": effort.DAILY_CAP,
    }


def levels() -> list[dict[str, int]]:
    return [{"level": n, "points": points} for n, points in enumerate(effort.LEVEL_THRESHOLDS, start=1)]


async def history(
    session: AsyncSession, user_id: uuid.UUID, cursor: str | None, limit: int
) -> tuple[list[PointsEntry], str | None]:
    """The person's points entries, newest first."""
    query = select(PointsEntry).where(PointsEntry.owner_id == user_id)
    if cursor:
        query = query.where(PointsEntry.id < _entry_cursor(cursor))
    rows = list(await session.scalars(query.order_by(PointsEntry.id.desc()).limit(limit + 1)))
    return paginate(rows, limit, lambda entry: [entry.id])


async def still_counted(session: AsyncSession, entries: list[PointsEntry]) -> set[uuid.UUID]:
    """Which of the entries' activities still exist (a deleted one's entries link nowhere)."""
    ids = {entry.activity_id for entry in entries if entry.activity_id is not None}
    if not ids:
        return set()
    return set(
        await session.scalars(select(ActivityRecord.activity_id).where(ActivityRecord.activity_id.in_(ids)))
    )


def _entry_cursor(cursor: str) -> int:
    values = decode_cursor(cursor)
    if len(values) != 1 or not isinstance(values[0], int):
        raise InvalidInput("The cursor is not valid.", code="invalid_cursor")
    return values[0]


async def points_of_day(session: AsyncSession, user_id: uuid.UUID, day: date) -> int:
    total = await session.scalar(
        select(func.sum(ActivityRecord.awarded_points)).where(
            ActivityRecord.owner_id == user_id, ActivityRecord.local_date == day
        )
    )
    return int(total or 0)


async def award_for_challenge(
    session: AsyncSession, owner_id: uuid.UUID, challenge_id: uuid.UUID, sport: str, day: date
) -> bool:
    """Points for completing a challenge, once per person and challenge: the entry names the challenge
    where an activity's entry names the activity. True when this call gave them."""
    return await _award_once(session, owner_id, "challenge", challenge_id, sport, day, CHALLENGE_POINTS)


async def award_for_race(
    session: AsyncSession, owner_id: uuid.UUID, race_id: uuid.UUID, sport: str, day: date
) -> bool:
    """Points for finishing a race, once per person and race (a better time later gives none). True when
    this call gave them."""
    return await _award_once(session, owner_id, "race", race_id, sport, day, RACE_POINTS)


async def races_finished(session: AsyncSession, owner_id: uuid.UUID) -> int:
    """How many races the person was given finishing points for: the races they finished."""
    count = await session.scalar(
        select(func.count()).where(PointsEntry.owner_id == owner_id, PointsEntry.reason == "race")
    )
    return int(count or 0)


async def _award_once(
    session: AsyncSession,
    owner_id: uuid.UUID,
    reason: str,
    subject_id: uuid.UUID,
    sport: str,
    day: date,
    points: int,
) -> bool:
    given = await session.scalar(
        select(PointsEntry.id).where(
            PointsEntry.owner_id == owner_id,
            PointsEntry.reason == reason,
            PointsEntry.activity_id == subject_id,
        )
    )
    if given is not None:
        return False
    session.add(
        PointsEntry(
            owner_id=owner_id,
            activity_id=subject_id,
            sport=sport,
            local_date=day,
            points=points,
            reason=reason,
        )
    )
    emit(
        session,
        POINTS_AWARDED,
        owner_id,
        {"user_id": str(owner_id), f"{reason}_id": str(subject_id), "points": points},
    )
    await session.flush()
    await settle_level(session, owner_id)
    return True
