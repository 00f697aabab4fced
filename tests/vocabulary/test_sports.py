import pytest

from athlos.vocabulary.sports import (
    SPORTS,
    estimate_calories,
    get_sport,
    sport_from_fit,
    sport_from_health,
    sport_from_name,
)

CATALOGUE = ("run", "trail_run", "walk", "hike", "ride", "virtual_ride", "pool_swim", "open_water_swim",
             "yoga", "strength", "ski", "paddle", "other", "multisport")  # fmt: skip


def test_catalogue_holds_every_sport_with_its_measures() -> None:
    assert tuple(SPORTS) == CATALOGUE
    assert get_sport("run").display == "pace"
    assert get_sport("ride").display == "speed"
    assert get_sport("run").run_best_efforts
    assert not get_sport("ride").run_best_efforts
    assert get_sport("ride").power_best_efforts
    assert get_sport("virtual_ride").power_best_efforts
    assert not get_sport("pool_swim").gps
    assert get_sport("no-such-sport").id == "other"


def test_calories_are_met_times_weight_times_hours() -> None:
    assert estimate_calories("run", 70, 3600) == pytest.approx(9.8 * 70)
    assert estimate_calories("yoga", 60, 1800) == pytest.approx(2.5 * 60 * 0.5)
    assert estimate_calories("walk", None, 3600) == pytest.approx(3.5 * 70)  # default weight


@pytest.mark.parametrize(
    ("sport", "sub_sport", "expected"),
    [
        ("running", "generic", "run"),
        ("running", "trail", "trail_run"),
        ("running", "treadmill", "run"),
        ("cycling", "indoor_cycling", "virtual_ride"),
        ("cycling", "trail", "ride"),
        ("swimming", "lap_swimming", "pool_swim"),
        ("swimming", "open_water", "open_water_swim"),
        ("training", "strength_training", "strength"),
        ("training", "yoga", "yoga"),
        ("cross_country_skiing", None, "ski"),
        ("stand_up_paddleboarding", None, "paddle"),
        ("transition", None, "other"),
        (None, None, "other"),
        (42, "x", "other"),
    ],
)
def test_fit_sports(sport: object, sub_sport: object, expected: str) -> None:
    assert sport_from_fit(sport, sub_sport) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Running", "run"),
        ("Biking", "ride"),
        ("TrailRun", "trail_run"),
        ("Virtual Ride", "virtual_ride"),
        ("StandUpPaddling", "paddle"),
        ("Weight Training", "strength"),
        ("NordicSki", "ski"),
        ("hiking", "hike"),
        ("Swim", "pool_swim"),
        ("Other", "other"),
        ("Underwater basket weaving", "other"),
        (None, "other"),
    ],
)
def test_names_from_files_and_services(name: str | None, expected: str) -> None:
    assert sport_from_name(name) == expected


def test_apple_health_types() -> None:
    assert sport_from_health("HKWorkoutActivityTypeRunning") == "run"
    assert sport_from_health("HKWorkoutActivityTypeTraditionalStrengthTraining") == "strength"
    assert sport_from_health("HKWorkoutActivityTypeSwimming") == "pool_swim"
    assert sport_from_health("HKWorkoutActivityTypeSwimming", open_water=True) == "open_water_swim"
    assert sport_from_health("HKWorkoutActivityTypeCurling") == "other"
