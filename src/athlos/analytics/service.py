"""What the dashboard shows: totals per sport against the previous period, records, active days."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.analytics import periods
from athlos.analytics.ingest import higher_is_better
from athlos.analytics.models import ActivityFact, Person, PersonalRecord
from athlos.analytics.periods import Period
from athlos.core.db import utcnow

# Periods of the distance chart.
SERIES_LENGTH = 12
TOTAL_KEYS = ("count", "distance_m", "moving_time_s", "elevation_gain_m")


async def time_zone_of(session: AsyncSession, user_id: uuid.UUID) -> str:
    # The row stays in the session, so the comparison of the same request reads it without a query.
    found = await session.get(Person, user_id)
    return found.time_zone if found is not None else "UTC"


async def today_of(session: AsyncSession, user_id: uuid.UUID, now: datetime | None = None) -> date:
    """Today in the person's time zone."""
    return periods.today_in(await time_zone_of(session, user_id), now or utcnow())


def period_column(period: Period) -> Any:
    return {"week": ActivityFact.week_start, "month": ActivityFact.month_start}.get(period, ActivityFact.year)


def period_key(start: date, period: Period) -> date | int:
    return start.year if period == "year" else start


def in_periods(period: Period, first: date, last: date) -> ColumnElement[bool]:
    column = period_column(period)
    return column.between(period_key(first, period), period_key(last, period))


@dataclass
class Totals:
    count: int = 0
    distance_m: float = 0.0
    moving_time_s: float = 0.0
    elevation_gain_m: float = 0.0

    def as_dict(self) -> dict[str, float]:
        return {key: round(getattr(self, key), 1) for key in TOTAL_KEYS}


def change(current: float, previous: float) -> dict[str, float | None]:
    """The difference, and the percentage change (None when there was nothing before)."""
    return {
        "delta": round(current - previous, 1),
        "percent": None if previous == 0 else round(100.0 * (current - previous) / previous, 1),
    }


@dataclass
class SportProgress:
    sport: str
    current: Totals = field(default_factory=Totals)
    previous: Totals = field(default_factory=Totals)

    def as_dict(self) -> dict[str, Any]:
        return {
            "sport": self.sport,
            "current": self.current.as_dict(),
            "previous": self.previous.as_dict(),
            "change": {
                key: change(getattr(self.current, key), getattr(self.previous, key)) for key in TOTAL_KEYS
            },
        }


async def progress(session: AsyncSession, user_id: uuid.UUID, period: Period, day: date) -> dict[str, Any]:
    """Totals per sport of the period holding ``day`` and of the one before, and the distance of the
    last ``SERIES_LENGTH`` periods (all sports)."""
    start = periods.period_start(day, period)
    starts = periods.starts_back(start, period, SERIES_LENGTH)
    previous = starts[-2]
    column = period_column(period)
    rows = await session.execute(
        select(
            ActivityFact.sport,
            column,
            func.count(),
            func.sum(ActivityFact.distance_m),
            func.sum(ActivityFact.moving_time_s),
            func.sum(ActivityFact.elevation_gain_m),
        )
        .where(ActivityFact.owner_id == user_id, in_periods(period, starts[0], start))
        .group_by(ActivityFact.sport, column)
    )
    by_sport: dict[str, SportProgress] = {}
    series: dict[Any, float] = defaultdict(float)
    current_key, previous_key = period_key(start, period), period_key(previous, period)
    for sport, key, count, distance, moving, elevation in rows:
        series[key] += float(distance or 0)
        if key not in (current_key, previous_key):
            continue
        item = by_sport.setdefault(sport, SportProgress(sport))
        totals = item.current if key == current_key else item.previous
        totals.count += int(count)
        totals.distance_m += float(distance or 0)
        totals.moving_time_s += float(moving or 0)
        totals.elevation_gain_m += float(elevation or 0)
    ordered = sorted(
        by_sport.values(), key=lambda p: (-p.current.distance_m, -p.previous.distance_m, p.sport)
    )
    return {
        "period": period,
        "start": start,
        "end": periods.next_start(start, period),
        "previous_start": previous,
        "sports": [item.as_dict() for item in ordered],
        "series": [
            {"start": s, "distance_m": round(series.get(period_key(s, period), 0.0), 1)} for s in starts
        ],
    }


async def records(session: AsyncSession, user_id: uuid.UUID) -> list[dict[str, Any]]:
    """Each record with its history (oldest first); the last step is the standing record."""
    rows = await session.scalars(
        select(PersonalRecord)
        .where(PersonalRecord.owner_id == user_id)
        .order_by(PersonalRecord.sport, PersonalRecord.effort, PersonalRecord.achieved_at, PersonalRecord.id)
    )
    grouped: dict[tuple[str, str], list[PersonalRecord]] = {}
    for row in rows:
        grouped.setdefault((row.sport, row.effort), []).append(row)
    found = []
    for (sport, effort), history in grouped.items():
        best = history[-1]
        found.append(
            {
                "sport": sport,
                "effort": effort,
                "unit": "W" if higher_is_better(effort) else "s",
                "value": best.value,
                "activity_id": best.activity_id,
                "achieved_at": best.achieved_at,
                "history": [
                    {
                        "value": step.value,
                        "previous_value": step.previous_value,
                        "activity_id": step.activity_id,
                        "achieved_at": step.achieved_at,
                    }
                    for step in history
                ],
            }
        )
    return sorted(found, key=lambda r: (r["sport"], effort_order(r["effort"])))


EFFORT_ORDER = ("400m", "1k", "1mile", "5k", "10k", "half_marathon", "marathon")


def effort_order(effort: str) -> tuple[int, str]:
    return (EFFORT_ORDER.index(effort), "") if effort in EFFORT_ORDER else (len(EFFORT_ORDER), effort)


async def calendar(session: AsyncSession, user_id: uuid.UUID, year: int) -> list[dict[str, Any]]:
    """The active days of the year in the person's time zone, with what was done on each."""
    rows = await session.execute(
        select(
            ActivityFact.local_date,
            func.count(),
            func.sum(ActivityFact.distance_m),
            func.sum(ActivityFact.moving_time_s),
        )
        .where(ActivityFact.owner_id == user_id, ActivityFact.year == year)
        .group_by(ActivityFact.local_date)
        .order_by(ActivityFact.local_date)
    )
    return [
        {
            "date": day,
            "count": int(count),
            "distance_m": round(float(distance or 0), 1),
            "moving_time_s": round(float(moving or 0), 1),
        }
        for day, count, distance, moving in rows
    ]


async def best_efforts_since(session: AsyncSession, user_id: uuid.UUID, first: date) -> list[Any]:
    """Each activity's best efforts (effort → seconds) from ``first`` on, by its day on the owner's
    clock, oldest first: rows of ``local_date``, ``sport``, ``best_efforts``."""
    rows = await session.execute(
        select(ActivityFact.local_date, ActivityFact.sport, ActivityFact.best_efforts)
        .where(ActivityFact.owner_id == user_id, ActivityFact.local_date >= first)
        .order_by(ActivityFact.local_date)
    )
    return list(rows)
