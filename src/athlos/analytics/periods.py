"""Calendar maths of the dashboard: local days, weeks (Monday first), months, years, age groups."""

from __future__ import annotations

import functools
from datetime import date, datetime, timedelta
from typing import Final, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

Period = Literal["week", "month", "year"]
PERIODS: Final[tuple[Period, ...]] = ("week", "month", "year")
# Age groups of the comparison: (first age, last age or None, label).
AGE_GROUPS: Final = (
    (0, 17, "<18"),
    (18, 29, "18–29"),
    (30, 39, "30–39"),
    (40, 49, "40–49"),
    (50, 59, "50–59"),
    (60, 69, "60–69"),
    (70, None, "70+"),
)


@functools.cache
def zone(name: str | None) -> ZoneInfo:
    """The named time zone, UTC when unknown or missing."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_day(moment: datetime, time_zone: str | None) -> date:
    return moment.astimezone(zone(time_zone)).date()


def today_in(time_zone: str | None, now: datetime) -> date:
    return local_day(now, time_zone)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def month_start(day: date) -> date:
    return day.replace(day=1)


def period_start(day: date, period: Period) -> date:
    if period == "week":
        return week_start(day)
    if period == "month":
        return month_start(day)
    return day.replace(month=1, day=1)


def next_start(start: date, period: Period) -> date:
    if period == "week":
        return start + timedelta(days=7)
    if period == "month":
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return date(start.year + 1, 1, 1)


def previous_start(start: date, period: Period) -> date:
    if period == "week":
        return start - timedelta(days=7)
    if period == "month":
        return date(start.year - (start.month == 1), (start.month - 2) % 12 + 1, 1)
    return date(start.year - 1, 1, 1)


def starts_back(start: date, period: Period, count: int) -> list[date]:
    """``count`` period starts ending with ``start``, oldest first."""
    starts = [start]
    for _ in range(count - 1):
        starts.append(previous_start(starts[-1], period))
    return starts[::-1]


def age_group(birth_year: int | None, year: int) -> str | None:
    """The comparison's age group of someone born in ``birth_year``, in the given year."""
    if birth_year is None:
        return None
    age = year - birth_year
    if age < 0:
        return None
    for first, last, label in AGE_GROUPS:
        if age >= first and (last is None or age <= last):
            return label
    return None
