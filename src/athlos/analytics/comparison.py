"""Regional comparison: where a person's distance and moving time of a period stand among others.

Only people who opted in (``in_regional_comparisons``) are compared and counted. Cohorts are the
person's country, their region, their age group in their country and their sex in their country; a
cohort with fewer than ``MIN_OTHERS`` other people is reported as too small, without figures, so
nobody's totals can be inferred from it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.analytics import periods
from athlos.analytics.errors import ComparisonOptInRequired, ComparisonPlaceUnknown
from athlos.analytics.models import PeriodTotal, Person
from athlos.analytics.periods import Period

MIN_OTHERS: Final = 5
MEASURES: Final = ("distance_m", "moving_time_s")


def percentile_rank(value: float, others: Sequence[float]) -> float:
    """The share (in %) of ``others`` below ``value``, ties counting half."""
    if not others:
        raise ValueError("no one to compare with")
    below = sum(1 for other in others if other < value)
    equal = sum(1 for other in others if other == value)
    return round(100.0 * (below + 0.5 * equal) / len(others), 1)


@dataclass(frozen=True, slots=True)
class Member:
    user_id: uuid.UUID
    region: str | None
    age_group: str | None
    sex: str | None
    distance_m: float
    moving_time_s: float


def cohort_result(kind: str, label: str, me: Member, members: Sequence[Member]) -> dict[str, Any]:
    others = [m for m in members if m.user_id != me.user_id]
    result: dict[str, Any] = {"cohort": kind, "label": label, "too_small": len(others) < MIN_OTHERS}
    if result["too_small"]:
        result.update(size=None, percentiles=None)
        return result
    result["size"] = len(others) + 1
    result["percentiles"] = {
        measure: percentile_rank(getattr(me, measure), [getattr(o, measure) for o in others])
        for measure in MEASURES
    }
    return result


async def compare(
    session: AsyncSession, user_id: uuid.UUID, sport: str, period: Period, day: date
) -> dict[str, Any]:
    person = await session.get(Person, user_id)
    if person is None or not person.in_comparisons:
        raise ComparisonOptInRequired()
    if person.country is None:
        raise ComparisonPlaceUnknown()
    start = periods.period_start(day, period)
    rows = await session.execute(
        select(
            PeriodTotal.owner_id,
            Person.region,
            Person.birth_year,
            Person.sex,
            PeriodTotal.distance_m,
            PeriodTotal.moving_time_s,
        )
        .join(Person, Person.user_id == PeriodTotal.owner_id)
        .where(
            PeriodTotal.sport == sport,
            PeriodTotal.period == period,
            PeriodTotal.start == start,
            Person.in_comparisons.is_(True),
            Person.country == person.country,
        )
    )
    members = [
        Member(
            user_id=owner,
            region=region,
            age_group=periods.age_group(birth_year, start.year),
            sex=sex,
            distance_m=float(distance or 0),
            moving_time_s=float(moving or 0),
        )
        for owner, region, birth_year, sex, distance, moving in rows
    ]
    mine = next((m for m in members if m.user_id == user_id), None)
    me = mine or Member(
        user_id, person.region, periods.age_group(person.birth_year, start.year), person.sex, 0.0, 0.0
    )
    cohorts = [cohort_result("country", person.country, me, members)]
    if me.region:
        cohorts.append(cohort_result("region", me.region, me, [m for m in members if m.region == me.region]))
    if me.age_group:
        same_age = [m for m in members if m.age_group == me.age_group]
        cohorts.append(cohort_result("age_group", me.age_group, me, same_age))
    if me.sex:
        cohorts.append(cohort_result("sex", me.sex, me, [m for m in members if m.sex == me.sex]))
    return {
        "sport": sport,
        "period": period,
        "start": start,
        "end": periods.next_start(start, period),
        "country": person.country,
        "region": person.region,
        "distance_m": round(me.distance_m, 1),
        "moving_time_s": round(me.moving_time_s, 1),
        "cohorts": cohorts,
    }
