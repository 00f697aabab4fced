"""Making plans: weeks of workouts on the chosen days that build, ease and taper towards the race."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from athlos.training.plans.generator import PlanDatesRefused, make_plan, weeks_between
from athlos.training.plans.library import SESSIONS_BY_KEY

MONDAY = date(2026, 12, 7)
RACE = date(2027, 2, 28)  # a Sunday, twelve weeks on
TUE_THU_SAT_SUN = [1, 3, 5, 6]


def week_of(day: date) -> int:
    return (day - MONDAY).days // 7


def test_a_10k_plan_builds_eases_and_tapers_to_the_race() -> None:
    plan = make_plan("10k", "intermediate", MONDAY, RACE, TUE_THU_SAT_SUN)
    assert weeks_between(MONDAY, RACE) == 12
    assert all(day.day.weekday() in TUE_THU_SAT_SUN for day in plan)
    assert plan[-1].day == RACE
    assert plan[-1].kind == "race"
    assert plan[-1].distance_m == 10000
    volume = [0.0] * 12
    for day in plan:
        if day.kind != "race":
            volume[week_of(day.day)] += day.distance_m or (day.duration_s or 0) / 60 * 160
    assert volume[1] > volume[0]
    assert volume[3] < volume[2]  # every fourth week is an easier one
    assert volume[10] < volume[9]
    assert volume[11] < volume[10]  # the taper
    long_runs = [d for d in plan if d.kind == "long"]
    assert all(d.day.weekday() == 6 for d in long_runs)
    assert len(long_runs) == 11  # every week but the race's
    quality = [d.kind for d in plan if d.kind in ("threshold", "intervals")]
    assert quality[:2] == ["threshold", "intervals"]  # by turns, from the second week
    assert not any(week_of(d.day) == 0 for d in plan if d.kind in ("threshold", "intervals"))


def test_quality_sessions_are_warm_up_repeats_and_cool_down_in_zones() -> None:
    plan = make_plan("half", "advanced", MONDAY, RACE, [0, 1, 2, 3, 4, 5, 6])
    intervals = next(d for d in plan if d.kind == "intervals")
    warmup, repeat, cooldown = (step.as_dict() for step in intervals.steps)
    assert warmup == {"kind": "warmup", "zone": "easy", "duration_s": 900}
    assert cooldown["kind"] == "cooldown"
    assert repeat["repeat"] >= 4
    assert [s["zone"] for s in repeat["steps"]] == ["interval", "easy"]
    weekly = [sum(1 for d in plan if week_of(d.day) == n) for n in range(11)]
    assert max(weekly) == 5  # an advanced runner trains five days of the seven offered


def test_yoga_plans_cycle_through_the_library_up_to_the_level() -> None:
    plan = make_plan("yoga", "intermediate", MONDAY, MONDAY + timedelta(weeks=6), [0, 3])
    sessions = {day.session for day in plan}
    assert sessions == {"yoga_sun", "yoga_flow"}
    first = plan[0]
    assert first.day == MONDAY
    assert first.duration_s == SESSIONS_BY_KEY[first.session or ""].duration_s
    assert [step.kind for step in first.steps] == ["exercise"] * len(first.steps)


@pytest.mark.parametrize("target", [MONDAY + timedelta(days=13), MONDAY + timedelta(weeks=30)])
def test_too_short_or_too_long_a_plan_is_refused(target: date) -> None:
    with pytest.raises(PlanDatesRefused):
        make_plan("5k", "beginner", MONDAY, target, [1, 4])
