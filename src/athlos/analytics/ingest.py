"""Keeping the read model up to date from events; every function may run twice with the same effect.

An activity's facts are replaced by each ``activity.created|updated`` (never added to), its record
history is rebuilt from the facts of the sports it touched, and a profile update replaces the person's
facts (moving their activities to other local days when the time zone changed).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.analytics import periods, places
from athlos.analytics.models import ActivityFact, PeriodTotal, Person, PersonalRecord


def _number(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return number if number == number and abs(number) != float("inf") else 0.0


def _efforts(raw: Any) -> dict[str, float]:
    if not isinstance(raw, Mapping):
        return {}
    return {str(k): _number(v) for k, v in raw.items() if _number(v) > 0}


def higher_is_better(effort: str) -> bool:
    """Power efforts are watts (more is better); the others are seconds over a distance."""
    return effort.startswith("power_")


async def person(session: AsyncSession, user_id: uuid.UUID) -> Person:
    """The person's row, created with defaults (UTC, not in comparisons) when first seen."""
    found = await session.get(Person, user_id)
    if found is None:
        found = Person(user_id=user_id, time_zone="UTC", in_comparisons=False)
        session.add(found)
        await session.flush()
    return found


def place_dates(fact: ActivityFact, time_zone: str | None) -> None:
    day = periods.local_day(fact.start_time, time_zone)
    fact.local_date = day
    fact.week_start = periods.week_start(day)
    fact.month_start = periods.month_start(day)
    fact.year = day.year


async def apply_activity(session: AsyncSession, payload: Mapping[str, Any]) -> None:
    """Store (or replace) the facts of a created or changed activity."""
    activity_id = uuid.UUID(payload["activity_id"])
    owner_id = uuid.UUID(payload["owner_id"])
    owner = await person(session, owner_id)
    fact = await session.get(ActivityFact, activity_id)
    touched = {str(payload["sport"])}
    if fact is None:
        fact = ActivityFact(activity_id=activity_id, owner_id=owner_id)
        session.add(fact)
    else:
        touched.add(fact.sport)
    fact.sport = str(payload["sport"])
    fact.start_time = datetime.fromisoformat(payload["start_time"])
    fact.distance_m = _number(payload.get("distance_m"))
    fact.moving_time_s = _number(payload.get("moving_time_s"))
    fact.elapsed_time_s = _number(payload.get("elapsed_time_s"))
    fact.elevation_gain_m = _number(payload.get("elevation_gain_m"))
    fact.best_efforts = _efforts(payload.get("best_efforts"))
    lat, lon = payload.get("start_lat"), payload.get("start_lon")
    if lat is not None and lon is not None:
        place = await asyncio.to_thread(places.locate, _number(lat), _number(lon))
        fact.country, fact.region = place.country, place.region
    else:
        fact.country = fact.region = None
    place_dates(fact, owner.time_zone)
    await session.flush()
    await rebuild_derived(session, owner_id, touched)
    await refresh_place(session, owner)


async def remove_activity(session: AsyncSession, payload: Mapping[str, Any]) -> None:
    activity_id = uuid.UUID(payload["activity_id"])
    fact = await session.get(ActivityFact, activity_id)
    if fact is None:
        return
    owner_id, sport = fact.owner_id, fact.sport
    await session.delete(fact)
    await session.flush()
    await rebuild_derived(session, owner_id, {sport})
    owner = await session.get(Person, owner_id)
    if owner is not None:
        await refresh_place(session, owner)


async def rebuild_derived(session: AsyncSession, owner_id: uuid.UUID, sports: Iterable[str]) -> None:
    chosen = set(sports)
    await rebuild_records(session, owner_id, chosen)
    await rebuild_totals(session, owner_id, chosen)


async def rebuild_totals(session: AsyncSession, owner_id: uuid.UUID, sports: Iterable[str] | None) -> None:
    """The owner's week, month and year totals of the given sports (all when None), from the facts."""
    clear = delete(PeriodTotal).where(PeriodTotal.owner_id == owner_id)
    facts = select(
        ActivityFact.sport,
        ActivityFact.week_start,
        ActivityFact.month_start,
        ActivityFact.year,
        ActivityFact.distance_m,
        ActivityFact.moving_time_s,
    ).where(ActivityFact.owner_id == owner_id)
    if sports is not None:
        chosen = sorted(set(sports))
        clear = clear.where(PeriodTotal.sport.in_(chosen))
        facts = facts.where(ActivityFact.sport.in_(chosen))
    await session.execute(clear)
    totals: dict[tuple[str, str, date], list[float]] = {}
    for sport, week, month, year, distance, moving in await session.execute(facts):
        for period, start in (("week", week), ("month", month), ("year", date(year, 1, 1))):
            total = totals.setdefault((sport, period, start), [0, 0.0, 0.0])
            total[0] += 1
            total[1] += distance
            total[2] += moving
    session.add_all(
        PeriodTotal(
            owner_id=owner_id,
            sport=sport,
            period=period,
            start=start,
            count=int(count),
            distance_m=distance,
            moving_time_s=moving,
        )
        for (sport, period, start), (count, distance, moving) in totals.items()
    )
    await session.flush()


async def rebuild_records(session: AsyncSession, owner_id: uuid.UUID, sports: Iterable[str]) -> None:
    """The record history of the owner's sports, from their activities in time order."""
    chosen = sorted(set(sports))
    await session.execute(
        delete(PersonalRecord).where(PersonalRecord.owner_id == owner_id, PersonalRecord.sport.in_(chosen))
    )
    rows = await session.execute(
        select(
            ActivityFact.activity_id, ActivityFact.sport, ActivityFact.start_time, ActivityFact.best_efforts
        )
        .where(ActivityFact.owner_id == owner_id, ActivityFact.sport.in_(chosen))
        .order_by(ActivityFact.start_time, ActivityFact.activity_id)
    )
    best: dict[tuple[str, str], float] = {}
    for activity_id, sport, start_time, efforts in rows:
        for effort, value in sorted((efforts or {}).items()):
            key = (sport, effort)
            previous = best.get(key)
            better = previous is None or (value > previous if higher_is_better(effort) else value < previous)
            if not better:
                continue
            best[key] = value
            session.add(
                PersonalRecord(
                    owner_id=owner_id,
                    sport=sport,
                    effort=effort,
                    value=value,
                    activity_id=activity_id,
                    achieved_at=start_time,
                    previous_value=previous,
                )
            )
    await session.flush()


def settle_place(owner: Person) -> None:
    """The place compared in: the profile's country and region, else the latest start point's."""
    if owner.profile_country:
        owner.country = owner.profile_country
        if owner.profile_region:
            owner.region = owner.profile_region
        else:
            owner.region = owner.geo_region if owner.geo_country == owner.profile_country else None
    else:
        owner.country, owner.region = owner.geo_country, owner.geo_region


async def refresh_place(session: AsyncSession, owner: Person) -> None:
    latest = (
        await session.execute(
            select(ActivityFact.country, ActivityFact.region)
            .where(ActivityFact.owner_id == owner.user_id, ActivityFact.country.is_not(None))
            .order_by(ActivityFact.start_time.desc())
            .limit(1)
        )
    ).first()
    owner.geo_country, owner.geo_region = (latest[0], latest[1]) if latest else (None, None)
    settle_place(owner)
    await session.flush()


async def apply_profile(session: AsyncSession, payload: Mapping[str, Any]) -> None:
    """Replace the person's facts with the profile's; re-date their activities in a new time zone."""
    owner = await person(session, uuid.UUID(payload["user_id"]))
    new_zone = payload.get("time_zone") or "UTC"
    moved = new_zone != owner.time_zone
    owner.time_zone = new_zone
    owner.birth_year = payload.get("birth_year")
    owner.sex = payload.get("sex")
    owner.profile_country = payload.get("country")
    owner.profile_region = payload.get("region")
    owner.in_comparisons = bool(payload.get("in_regional_comparisons"))
    settle_place(owner)
    if moved:
        facts = await session.scalars(select(ActivityFact).where(ActivityFact.owner_id == owner.user_id))
        for fact in facts:
            place_dates(fact, new_zone)
        await session.flush()
        await rebuild_totals(session, owner.user_id, None)
    await session.flush()


async def erase_person(session: AsyncSession, user_id: uuid.UUID) -> None:
    """Everything analytics keeps of the person."""
    await session.execute(delete(PersonalRecord).where(PersonalRecord.owner_id == user_id))
    await session.execute(delete(PeriodTotal).where(PeriodTotal.owner_id == user_id))
    await session.execute(delete(ActivityFact).where(ActivityFact.owner_id == user_id))
    await session.execute(delete(Person).where(Person.user_id == user_id))
