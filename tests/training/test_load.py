"""TRIMP per workout and the fitness/fatigue/form series against values computed by hand."""

from __future__ import annotations

import math
from datetime import date

import pytest

from athlos.training.load import (
    Physiology,
    Workout,
    acute_chronic_ratio,
    load_series,
    ratio_advice,
    trimp,
    workout_load,
)

DAY = date(2026, 3, 2)


def test_banister_trimp_for_men_and_women() -> None:
    assert trimp(60, 0.5, "male") == pytest.approx(60 * 0.5 * 0.64 * math.exp(0.96))
    assert trimp(60, 0.5, "female") == pytest.approx(60 * 0.5 * 0.86 * math.exp(0.835))


def test_a_workout_uses_heart_rate_then_pace_then_effort_then_the_sport() -> None:
    body = Physiology(resting_hr=50, max_hr=190, sex="male", threshold_m_per_min=250)
    with_hr = Workout(DAY, 60, "run", met=9.8, avg_hr=155, distance_m=12000)
    assert workout_load(with_hr, body) == (pytest.approx(trimp(60, 105 / 140, "male")), "heart_rate")
    by_pace = Workout(DAY, 60, "run", met=9.8, distance_m=12000)  # 200 m/min against 250
    assert workout_load(by_pace, body) == (pytest.approx(trimp(60, 0.85 * 0.8, "male")), "pace")
    by_effort = Workout(DAY, 30, "ride", met=7.5, perceived_effort=10)
    assert workout_load(by_effort, body) == (pytest.approx(trimp(30, 0.9, "male")), "effort")
    by_sport = Workout(DAY, 30, "ride", met=7.5)
    assert workout_load(by_sport, body) == (pytest.approx(trimp(30, 0.25 + 0.375, "male")), "sport")


def test_fitness_fatigue_and_form_of_a_small_series() -> None:
    days = load_series({DAY: 100.0, date(2026, 3, 4): 50.0}, DAY, date(2026, 3, 4))
    # day 1: fitness 100/42, fatigue 100/7, form 0 (nothing before)
    f1, a1 = 100 / 42, 100 / 7
    # day 2: no load
    f2, a2 = f1 - f1 / 42, a1 - a1 / 7
    # day 3: 50
    f3, a3 = f2 + (50 - f2) / 42, a2 + (50 - a2) / 7
    expected = [(100, f1, a1, 0.0), (0, f2, a2, f1 - a1), (50, f3, a3, f2 - a2)]
    got = [(d.load, d.fitness, d.fatigue, d.form) for d in days]
    assert got == [pytest.approx(row) for row in expected]
    assert acute_chronic_ratio(days[-1]) == pytest.approx(a3 / f3)
    assert ratio_advice(a3 / f3) == "high"


def test_the_ratio_advice_bands() -> None:
    assert ratio_advice(None) is None
    assert ratio_advice(0.7) == "low"
    assert ratio_advice(1.1) == "steady"
    assert ratio_advice(1.6) == "high"
