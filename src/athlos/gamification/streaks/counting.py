"""Counting streaks over local days: pure functions.

A daily streak is days in a row with an activity; a weekly streak is weeks (Monday first) in a row with
one. The freeze rule keeps a weekly streak over one missed week per calendar month (the month the
missed week starts in): the week is kept, not counted, and a second missed week in a row ends the
streak. The day or week still running never breaks a streak: it only adds once it has an activity.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final, Literal

Unit = Literal["day", "week"]
UNITS: Final[tuple[Unit, ...]] = ("day", "week")


def unit_start(day: date, unit: str) -> date:
    return day - timedelta(days=day.weekday()) if unit == "week" else day


@dataclass(frozen=True, slots=True)
class Streak:
    unit: str
    current: int
    longest: int
    # The missed weeks the freeze rule kept in the current streak (their Mondays).
    kept: tuple[date, ...] = ()


@dataclass
class _Scan:
    length: int = 0
    longest: int = 0
    kept: list[date] | None = None
    first_reaching: date | None = None


def _scan(days: Iterable[date], unit: str, until: date | None, target: int | None = None) -> _Scan:
    active = sorted({unit_start(day, unit) for day in days})
    scan = _Scan(kept=[])
    if not active:
        return scan
    step = timedelta(days=7 if unit == "week" else 1)
    last = unit_start(until, unit) if until is not None else active[-1]
    present = set(active)
    months_used: set[tuple[int, int]] = set()
    previous_active = False
    current = active[0]
    while current <= last:
        if current in present:
            scan.length += 1
            scan.longest = max(scan.longest, scan.length)
            if target is not None and scan.first_reaching is None and scan.length >= target:
                scan.first_reaching = current
            previous_active = True
        elif current == last:
            pass  # the unit still running breaks nothing yet
        elif unit == "week" and previous_active and (current.year, current.month) not in months_used:
            months_used.add((current.year, current.month))
            assert scan.kept is not None
            scan.kept.append(current)
            previous_active = False
        else:
            scan.length = 0
            scan.kept = []
            previous_active = False
        current += step
    return scan


def streak(days: Iterable[date], unit: str, today: date) -> Streak:
    """The current and the longest streak of ``unit`` up to ``today`` (a local day)."""
    scan = _scan([day for day in days if day <= today], unit, today)
    return Streak(unit, scan.length, scan.longest, tuple(scan.kept or ()))


def longest_streak_reached(days: Iterable[date], unit: str, length: int) -> date | None:
    """The start of the day or week in which a streak first reached ``length``, or None."""
    return _scan(days, unit, None, length).first_reaching
