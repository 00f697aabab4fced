"""Points of an effort, the daily cap and the levels: pure rules."""

from __future__ import annotations

import pytest

from athlos.gamification.points.effort import (
    DAILY_CAP,
    LEVEL_THRESHOLDS,
    HeartRates,
    capped,
    effort_points,
    intensity_met,
    level_of,
    progress_of,
)

UNKNOWN_HEART = HeartRates(resting=60, maximum=None)


def test_without_heart_rate_the_sports_met_decides_so_yoga_counts_too() -> None:
    assert effort_points("run", 3600, None, UNKNOWN_HEART) == 98  # MET 9.8
    assert effort_points("yoga", 3600, None, UNKNOWN_HEART) == 25  # MET 2.5
    assert effort_points("yoga", 0, None, UNKNOWN_HEART) == 0


def test_heart_rate_places_the_effort_between_resting_and_maximum() -> None:
    hearts = HeartRates(resting=50, maximum=190)
    # Half the reserve: 1 + 0.5 × 11 = 6.5 MET.
    assert intensity_met("yoga", 120, hearts) == pytest.approx(6.5)
    assert effort_points("yoga", 3600, 120, hearts) == 65
    # Below resting and above maximum are held at the ends.
    assert intensity_met("run", 40, hearts) == pytest.approx(1.0)
    assert intensity_met("run", 230, hearts) == pytest.approx(12.0)
    # A heart rate with no maximum to place it against falls back on the sport.
    assert intensity_met("run", 150, UNKNOWN_HEART) == pytest.approx(9.8)


def test_the_maximum_comes_from_age_when_the_profile_has_none() -> None:
    assert HeartRates.of(None, None, 1986, 2026) == HeartRates(resting=60, maximum=180)
    assert HeartRates.of(48, 185, 1986, 2026) == HeartRates(resting=48, maximum=185)
    assert HeartRates.of(None, None, None, 2026).maximum is None


def test_the_daily_cap_is_filled_in_start_order() -> None:
    assert capped([196, 196, 196]) == [196, DAILY_CAP - 196, 0]
    assert capped([20, 30]) == [20, 30]
    assert sum(capped([500] * 4)) == DAILY_CAP


def test_levels_follow_the_published_thresholds() -> None:
    assert level_of(0) == 1
    assert level_of(-40) == 1
    assert level_of(99) == 1
    assert level_of(100) == 2
    assert level_of(LEVEL_THRESHOLDS[-1]) == len(LEVEL_THRESHOLDS)
    assert list(LEVEL_THRESHOLDS) == sorted(set(LEVEL_THRESHOLDS))
    halfway = progress_of(175)
    assert (halfway.level, halfway.floor, halfway.next_threshold, halfway.share) == (2, 100, 250, 0.5)
    assert progress_of(10**7).next_threshold is None
    assert progress_of(10**7).share == 1.0
