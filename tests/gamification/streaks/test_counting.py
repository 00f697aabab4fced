"""Daily and weekly streaks, the freeze rule and the day still running: pure rules."""

from __future__ import annotations

from datetime import date, timedelta

from athlos.gamification.streaks.counting import longest_streak_reached, streak

MONDAY = date(2026, 3, 2)


def weeks(*offsets: int) -> list[date]:
    """A Wednesday of each of the weeks ``offsets`` after the week of MONDAY."""
    return [MONDAY + timedelta(days=7 * n + 2) for n in offsets]


def test_days_in_a_row_and_the_longest() -> None:
    days = [MONDAY + timedelta(days=n) for n in (0, 1, 2, 4, 5)]
    now = streak(days, "day", MONDAY + timedelta(days=5))
    assert (now.current, now.longest) == (2, 3)
    # Today without an activity yet breaks nothing; yesterday missed does.
    assert streak(days, "day", MONDAY + timedelta(days=6)).current == 2
    assert streak(days, "day", MONDAY + timedelta(days=7)).current == 0
    assert streak([], "day", MONDAY).current == 0


def test_one_missed_week_a_month_is_kept() -> None:
    # March: weeks 0, 1, then 2 missed (kept), 3, 4 — the streak holds four weeks.
    kept = streak(weeks(0, 1, 3, 4), "week", weeks(4)[0])
    assert (kept.current, kept.longest, kept.kept) == (4, 4, (MONDAY + timedelta(days=14),))
    # A second missed week in the same month ends it.
    broken = streak(weeks(0, 2, 4), "week", weeks(4)[0])
    assert (broken.current, broken.longest) == (1, 2)
    # Two missed weeks in a row end it too.
    assert streak(weeks(0, 1, 4), "week", weeks(4)[0]).current == 1
    # A missed week in the next month has a freeze of its own (week 5 starts 6 April).
    assert streak(weeks(0, 2, 3, 4, 6), "week", weeks(6)[0]).current == 5
    # This week without an activity yet leaves the streak as it was.
    assert streak(weeks(0, 1), "week", weeks(2)[0]).current == 2


def test_the_week_a_streak_first_reached_a_length() -> None:
    assert longest_streak_reached(weeks(0, 1, 3, 4), "week", 3) == MONDAY + timedelta(days=21)
    assert longest_streak_reached(weeks(0, 1), "week", 3) is None
    days = [MONDAY + timedelta(days=n) for n in range(10)]
    assert longest_streak_reached(days, "day", 7) == MONDAY + timedelta(days=6)
