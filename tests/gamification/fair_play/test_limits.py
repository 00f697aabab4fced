"""The speed limits of each sport: a fast athlete passes, a car does not."""

from __future__ import annotations

from athlos.gamification.fair_play.limits import KMH, judge_speed


def test_a_fast_marathon_is_plausible_and_a_run_at_35_kmh_is_not() -> None:
    # 2:01:09 for the marathon: the world record.
    assert judge_speed("run", {"distance_m": 42_195, "moving_time_s": 7269}).plausible
    too_fast = judge_speed("run", {"distance_m": 10_000, "moving_time_s": 10_000 / (35 * KMH)})
    assert not too_fast.plausible
    assert round(too_fast.speed_mps * 3.6) == 35  # type: ignore[operator]
    assert round(too_fast.limit_mps * 3.6) == 25  # type: ignore[operator]


def test_the_fastest_kilometre_is_judged_even_when_the_average_passes() -> None:
    # An hour of easy running with one kilometre in 100 s (36 km/h): a lift in a car part of the way.
    facts = {"distance_m": 10_000, "moving_time_s": 3600, "best_efforts": {"1k": 100.0}}
    verdict = judge_speed("run", facts)
    assert not verdict.plausible
    assert verdict.speed_mps == 10.0
    assert judge_speed("run", {**facts, "best_efforts": {"1k": 150.0}}).plausible


def test_sports_without_a_speed_and_activities_without_figures_pass() -> None:
    assert judge_speed("yoga", {"distance_m": 100_000, "moving_time_s": 60}).plausible
    assert judge_speed("run", {"distance_m": None, "moving_time_s": None}).plausible
    assert not judge_speed("ride", {"distance_m": 100_000, "moving_time_s": 2400}).plausible  # 150 km/h
    assert judge_speed("ride", {"distance_m": 100_000, "moving_time_s": 3 * 3600}).plausible
