"""Keeping gamification's facts of activities from activity events, and what follows from a change.

Each change of an activity replaces its facts (never adds to them) and fair play's verdict on it, then
settles the points of the days it touched, its owner's goals, badges and challenges, all in one
transaction, so a challenge never counts facts without their verdict. Every step may run twice with the
same effect, so a redelivered event changes nothing. The owner's row is locked first (on PostgreSQL),
so two activities of one person handled at once settle their shared day one after the other.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.profiles.service import get_profile
from athlos.analytics import periods
from athlos.core.db import insert_if_missing, utcnow
from athlos.gamification.badges import service as badges
from athlos.gamification.challenges import service as challenges
from athlos.gamification.fair_play import service as fair_play
from athlos.gamification.goals import service as goals
from athlos.gamification.models import ActivityRecord, Player
from athlos.gamification.points import effort
from athlos.gamification.points import service as points


@dataclass(frozen=True, slots=True)
class Owner:
    """What the owner's profile says that gamification needs."""

    time_zone: str
    hearts: effort.HeartRates


def _number(value: Any) -> float:
    """A payload's number, 0 when it is missing or not a finite number."""
    try:
        return float(value) if math.isfinite(float(value)) else 0.0
    except (TypeError, ValueError):
        return 0.0


async def player(session: AsyncSession, user_id: uuid.UUID) -> Player:
    """The person's row, created when first seen and locked for the rest of the transaction."""
    await insert_if_missing(
        session, Player, {"user_id": user_id, "top_level": 1, "updated_at": utcnow()}, ["user_id"]
    )
    found = await session.scalar(select(Player).where(Player.user_id == user_id).with_for_update())
    assert found is not None
    return found


async def owner_of(session: AsyncSession, user_id: uuid.UUID, now: datetime | None = None) -> Owner:
    profile = await get_profile(session, user_id)
    year = (now or utcnow()).year
    hearts = effort.HeartRates.of(
        profile.resting_heart_rate, profile.max_heart_rate, profile.birth_year, year
    )
    return Owner(profile.time_zone or "UTC", hearts)


async def time_zone_of(session: AsyncSession, user_id: uuid.UUID) -> str:
    return (await get_profile(session, user_id)).time_zone or "UTC"


async def motto_of(session: AsyncSession, user_id: uuid.UUID) -> str:
    """The free-text goals of the profile, shown as the person's motto above their measurable goals."""
    return (await get_profile(session, user_id)).goals.strip()


async def today_of(session: AsyncSession, user_id: uuid.UUID, now: datetime | None = None) -> date:
    """Today in the person's time zone."""
    return periods.today_in(await time_zone_of(session, user_id), now or utcnow())


async def apply_activity(session: AsyncSession, payload: Mapping[str, Any]) -> None:
    """Store (or replace) a created or changed activity's facts and settle what they change."""
    activity_id = uuid.UUID(payload["activity_id"])
    owner_id = uuid.UUID(payload["owner_id"])
    await player(session, owner_id)
    owner = await owner_of(session, owner_id)
    record = await session.get(ActivityRecord, activity_id)
    touched: set[date] = set()
    if record is None:
        record = ActivityRecord(activity_id=activity_id, owner_id=owner_id, awarded_points=0)
        session.add(record)
    else:
        touched.add(record.local_date)
    start = datetime.fromisoformat(payload["start_time"])
    seconds = _number(payload.get("moving_time_s")) or _number(payload.get("elapsed_time_s"))
    heart_rate = _number(payload.get("avg_heart_rate")) or None
    record.sport = str(payload["sport"])
    record.start_time = start
    record.local_date = periods.local_day(start, owner.time_zone)
    record.local_hour = start.astimezone(periods.zone(payload.get("time_zone") or owner.time_zone)).hour
    record.distance_m = _number(payload.get("distance_m"))
    record.moving_time_s = seconds
    record.elevation_gain_m = _number(payload.get("elevation_gain_m"))
    efforts = payload.get("best_efforts")
    record.best_efforts = (
        {str(k): _number(v) for k, v in efforts.items() if _number(v) > 0}
        if isinstance(efforts, Mapping)
        else {}
    )
    record.effort_points = effort.effort_points(record.sport, seconds, heart_rate, owner.hearts)
    touched.add(record.local_date)
    await session.flush()
    await fair_play.judge_activity(session, payload)
    for day in sorted(touched):
        await points.settle_day(session, owner_id, day)
    await points.settle_level(session, owner_id)
    await goals.settle_goals(session, owner_id, [record.local_date])
    await badges.award_earned(session, owner_id)
    await challenges.recount(session, owner_id)


async def remove_activity(session: AsyncSession, payload: Mapping[str, Any]) -> None:
    """Forget a deleted activity and fair play's verdict on it, take back its points, give its day's cap
    to the others, and recount its owner's challenges."""
    await fair_play.forget_activity(session, uuid.UUID(payload["activity_id"]))
    record = await session.get(ActivityRecord, uuid.UUID(payload["activity_id"]))
    if record is None:
        return
    owner_id = record.owner_id
    await player(session, owner_id)
    await points.take_back(session, record)
    day = record.local_date
    await session.delete(record)
    await session.flush()
    await points.settle_day(session, owner_id, day)
    await points.settle_level(session, owner_id)
    await challenges.recount(session, owner_id)


async def follow_time_zone(session: AsyncSession, user_id: uuid.UUID) -> None:
    """After a profile change: move the person's activities to their local days in the profile's time
    zone, and settle the points and goals of the days that lost or gained one."""
    zone = await time_zone_of(session, user_id)
    records = list(await session.scalars(select(ActivityRecord).where(ActivityRecord.owner_id == user_id)))
    touched: set[date] = set()
    for record in records:
        day = periods.local_day(record.start_time, zone)
        if day != record.local_date:
            touched |= {record.local_date, day}
            record.local_date = day
    if not touched:
        return
    await player(session, user_id)
    await session.flush()
    for day in sorted(touched):
        await points.settle_day(session, user_id, day)
    await points.settle_level(session, user_id)
    await goals.settle_goals(session, user_id, touched)
    await challenges.recount(session, user_id)
