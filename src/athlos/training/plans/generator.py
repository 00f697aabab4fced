"""Making a plan: the weeks from today to the target date, filled with workouts on the days the person
trains. Pure: dates in, workouts out.

Running plans build the weekly volume from the level's base by 8 % a week, ease every fourth week, and
taper over the last two; each week has a long run on the last training day, one quality session
(threshold and intervals by turns, from the second week on) and easy runs on the other days, and the
race itself on the target date. Steps name zones, not paces: the paces come from the person's VDOT
when shown (or heart-rate zones when there is none), so a plan follows its runner's fitness.
Yoga, mobility and strength plans cycle through the library's sessions up to the level.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Final

from athlos.training.plans.library import RUNNING_GOALS, sessions_for

MIN_WEEKS: Final = 4
MAX_WEEKS: Final = 24
# Kilometres a week at the start, by goal and level.
BASE_KM: Final = {
    "5k": {"beginner": 12, "intermediate": 20, "advanced": 30},
    "10k": {"beginner": 15, "intermediate": 25, "advanced": 38},
    "half": {"beginner": 20, "intermediate": 32, "advanced": 45},
    "marathon": {"beginner": 28, "intermediate": 40, "advanced": 55},
}
MAX_SESSIONS: Final = {"beginner": 3, "intermediate": 4, "advanced": 5}
WEEKLY_GROWTH: Final = 1.08
EASY_WEEK: Final = 0.8
TAPER: Final = (0.75, 0.5)  # the second-to-last week, then the race week
LONG_RUN_SHARE: Final = 0.35
# Easy running speed used only to turn kilometres into minutes for steps given by time.
EASY_SPEED_M_PER_MIN: Final = 160.0


@dataclass(frozen=True, slots=True)
class PlannedStep:
    """One step: ``kind`` (warmup, run, recover, cooldown, exercise) for a duration or distance in a
    zone; a ``repeat`` step runs its ``steps`` that many times."""

    kind: str
    zone: str | None = None
    duration_s: float | None = None
    distance_m: float | None = None
    label: str | None = None
    repeat: int | None = None
    steps: tuple[PlannedStep, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {"kind": self.kind}
        for name in ("zone", "duration_s", "distance_m", "label", "repeat"):
            value = getattr(self, name)
            if value is not None:
                found[name] = value
        if self.steps:
            found["steps"] = [step.as_dict() for step in self.steps]
        return found


@dataclass(frozen=True, slots=True)
class PlannedDay:
    day: date
    kind: str  # easy, long, threshold, intervals, race, session
    steps: tuple[PlannedStep, ...] = field(default=())
    distance_m: float | None = None
    duration_s: float | None = None
    session: str | None = None


class PlanDatesRefused(ValueError):
    """The target date leaves too few weeks or too many."""


def weeks_between(start: date, target: date) -> int:
    """Calendar weeks (Monday to Sunday) the plan touches, the first and the last counted."""
    return (target - _monday_of(start)).days // 7 + 1


def _monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def training_days(start: date, target: date, weekdays: list[int]) -> list[list[date]]:
    """The chosen weekdays (0 = Monday) from ``start`` to ``target``, calendar week by calendar week:
    the first week holds only what is left of it."""
    monday = _monday_of(start)
    weeks: list[list[date]] = [[] for _ in range(weeks_between(start, target))]
    day = start
    while day <= target:
        if day.weekday() in weekdays:
            weeks[(day - monday).days // 7].append(day)
        day += timedelta(days=1)
    return weeks


def running_plan(goal: str, level: str, start: date, target: date, weekdays: list[int]) -> list[PlannedDay]:
    weeks = training_days(start, target, weekdays)
    if not MIN_WEEKS <= len(weeks) <= MAX_WEEKS:
        raise PlanDatesRefused()
    race_m = RUNNING_GOALS[goal]
    per_week = MAX_SESSIONS[level]
    planned: list[PlannedDay] = []
    volume_km = float(BASE_KM[goal][level])
    for index, days in enumerate(weeks):
        left = len(weeks) - index
        factor = TAPER[0] if left == 2 else TAPER[1] if left == 1 else EASY_WEEK if index % 4 == 3 else 1.0
        week_km = volume_km * factor
        if left > 2 and index % 4 != 3:
            volume_km *= WEEKLY_GROWTH
        chosen = _spread(days, per_week)
        if left == 1:
            chosen = [d for d in chosen if d < target][: max(len(chosen) - 1, 0)]
        planned.extend(_running_week(chosen, week_km, index, race_m, last_week=left == 1))
        if left == 1:
            planned.append(
                PlannedDay(target, "race", (PlannedStep("run", "race", distance_m=race_m),), race_m)
            )
    return planned


def _spread(days: list[date], count: int) -> list[date]:
    """At most ``count`` of the week's days, spread out (the last one always kept for the long run)."""
    if len(days) <= count:
        return days
    step = (len(days) - 1) / (count - 1) if count > 1 else 0
    return sorted({days[round(i * step)] for i in range(count)} | {days[-1]})[-count:]


def _running_week(
    days: list[date], week_km: float, index: int, race_m: float, *, last_week: bool
) -> list[PlannedDay]:
    if not days:
        return []
    if last_week:
        # Short easy runs, the race counted as a share of the week's volume.
        easy_m = max(min(week_km * 1000 / (len(days) + 1), race_m * 0.5), 3000.0)
        return [_steady(day, "easy", round(easy_m, -2)) for day in days]
    found: list[PlannedDay] = []
    long_m = min(week_km * LONG_RUN_SHARE * 1000, race_m * (1.0 if race_m < 21097.5 else 0.75))
    quality = None if index == 0 or len(days) < 2 else ("threshold" if index % 2 else "intervals")
    others = days[:-1]
    easy_count = len(others) - (1 if quality else 0)
    easy_m = max((week_km * 1000 - long_m - (8000 if quality else 0)) / max(easy_count, 1), 3000.0)
    for position, day in enumerate(others):
        if quality and position == len(others) // 2:
            found.append(_quality_day(day, quality, index))
        else:
            found.append(_steady(day, "easy", round(easy_m, -2)))
    found.append(_steady(days[-1], "long", round(long_m, -2)))
    return found


def _steady(day: date, kind: str, metres: float) -> PlannedDay:
    return PlannedDay(day, kind, (PlannedStep("run", "easy", distance_m=metres),), metres)


def _quality_day(day: date, kind: str, index: int) -> PlannedDay:
    warmup = PlannedStep("warmup", "easy", duration_s=15 * 60)
    cooldown = PlannedStep("cooldown", "easy", duration_s=10 * 60)
    if kind == "threshold":
        repeats, work_s, rest_s, zone = 3 + index // 4, 8 * 60, 2 * 60, "threshold"
    else:
        repeats, work_s, rest_s, zone = 4 + index // 3, 3 * 60, 2 * 60, "interval"
    repeat = PlannedStep(
        "repeat",
        repeat=repeats,
        steps=(
            PlannedStep("run", zone, duration_s=work_s),
            PlannedStep("recover", "easy", duration_s=rest_s),
        ),
    )
    total_s = 25 * 60 + repeats * (work_s + rest_s)
    return PlannedDay(day, kind, (warmup, repeat, cooldown), duration_s=total_s)


def session_plan(goal: str, level: str, start: date, target: date, weekdays: list[int]) -> list[PlannedDay]:
    weeks = training_days(start, target, weekdays)
    if not MIN_WEEKS <= len(weeks) <= MAX_WEEKS:
        raise PlanDatesRefused()
    sessions = sessions_for(goal, level)
    planned = []
    count = 0
    for days in weeks:
        for day in _spread(days, MAX_SESSIONS[level]):
            session = sessions[count % len(sessions)]
            steps = tuple(
                PlannedStep("exercise", duration_s=s, label=label) for label, s in session.exercises
            )
            planned.append(
                PlannedDay(day, "session", steps, duration_s=session.duration_s, session=session.key)
            )
            count += 1
    return planned


def make_plan(goal: str, level: str, start: date, target: date, weekdays: list[int]) -> list[PlannedDay]:
    if goal in RUNNING_GOALS:
        return running_plan(goal, level, start, target, weekdays)
    return session_plan(goal, level, start, target, weekdays)
