"""Regional comparison: where a person's distance and moving time of a period stand among others.

Only people who opted in (``in_regional_comparisons``) are compared and counted. Cohorts are the
person's country, their region, their age group in their country and their sex in their country; a
cohort with fewer than ``MIN_OTHERS`` other people is reported as too small, without figures, so
nobody's totals can be inferred from it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any, Final

from sqlalchemy import ColumnElement, and_, case, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.analytics import periods
from athlos.analytics.errors import ComparisonOptInRequired, ComparisonPlaceUnknown
from athlos.analytics.models import PeriodTotal, Person
from athlos.analytics.periods import Period

MIN_OTHERS: Final = 5
MEASURES: Final = ("distance_m", "moving_time_s")


def percentile_from_counts(below: int, equal: int, others: int) -> float:
    """The share (in %) of ``others`` below a value, ties counting half."""
    if others <= 0:
        raise ValueError("no one to compare with")
    return round(100.0 * (below + 0.5 * equal) / others, 1)


def percentile_rank(value: float, others: Sequence[float]) -> float:
    """The share (in %) of ``others`` below ``value``, ties counting half."""
    below = sum(1 for other in others if other < value)
    equal = sum(1 for other in others if other == value)
    return percentile_from_counts(below, equal, len(others))


def _count(condition: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def age_condition(label: str, year: int) -> ColumnElement[bool]:
    """People whose age in ``year`` falls in the age group ``label``."""
    first, last = next((first, last) for first, last, name in periods.AGE_GROUPS if name == label)
    born_by = Person.birth_year <= year - first
    return born_by if last is None else and_(born_by, Person.birth_year >= year - last)


def cohort_result(kind: str, label: str, counts: Sequence[int]) -> dict[str, Any]:
    """``counts``: others in the cohort, then below and equal for each of :data:`MEASURES`."""
    others = int(counts[0])
    result: dict[str, Any] = {"cohort": kind, "label": label, "too_small": others < MIN_OTHERS}
    if result["too_small"]:
        result.update(size=None, percentiles=None)
        return result
    result["size"] = others + 1
    result["percentiles"] = {
        measure: percentile_from_counts(int(counts[1 + 2 * i]), int(counts[2 + 2 * i]), others)
        for i, measure in enumerate(MEASURES)
    }
    return result


async def compare(
    session: AsyncSession, user_id: uuid.UUID, sport: str, period: Period, day: date
) -> dict[str, Any]:
    """The person's totals of the period holding ``day`` and their percentiles in each cohort, counted
    by the database in one pass over the opted-in people of their country."""
    person = await session.get(Person, user_id)
    if person is None or not person.in_comparisons:
        raise ComparisonOptInRequired()
    if person.country is None:
        raise ComparisonPlaceUnknown()
    start = periods.period_start(day, period)
    mine = await session.get(PeriodTotal, (user_id, sport, period, start))
    values = {
        "distance_m": mine.distance_m if mine else 0.0,
        "moving_time_s": mine.moving_time_s if mine else 0.0,
    }
    age = periods.age_group(person.birth_year, start.year)
    cohorts: list[tuple[str, str, ColumnElement[bool]]] = [("country", person.country, true())]
    if person.region:
        cohorts.append(("region", person.region, Person.region == person.region))
    if age:
        cohorts.append(("age_group", age, age_condition(age, start.year)))
    if person.sex:
        cohorts.append(("sex", person.sex, Person.sex == person.sex))
    columns = []
    for _, _, condition in cohorts:
        columns.append(_count(condition))
        for measure in MEASURES:
            column = getattr(PeriodTotal, measure)
            columns.append(_count(and_(condition, column < values[measure])))
            columns.append(_count(and_(condition, column == values[measure])))
    counts = (
        await session.execute(
            select(*columns)
            .select_from(PeriodTotal)
            .join(Person, Person.user_id == PeriodTotal.owner_id)
            .where(
                PeriodTotal.sport == sport,
                PeriodTotal.period == period,
                PeriodTotal.start == start,
                PeriodTotal.owner_id != user_id,
                Person.in_comparisons.is_(True),
                Person.country == person.country,
            )
        )
    ).one()
    width = 1 + 2 * len(MEASURES)
    return {
        "sport": sport,
        "period": period,
        "start": start,
        "end": periods.next_start(start, period),
        "country": person.country,
        "region": person.region,
        "distance_m": round(values["distance_m"], 1),
        "moving_time_s": round(values["moving_time_s"], 1),
        "cohorts": [
            cohort_result(kind, label, counts[i * width : (i + 1) * width])
            for i, (kind, label, _) in enumerate(cohorts)
        ],
    }
