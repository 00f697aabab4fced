"""The sports catalogue: what each sport is, how it is measured, and how files and services name it.

Pure data and lookups, no I/O. Sport ids are stable strings stored with activities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

DEFAULT_WEIGHT_KG: Final = 70.0


@dataclass(frozen=True, slots=True)
class Sport:
    """How a sport is measured.

    ``moving_speed_mps`` is the net speed (straight-line displacement over half a minute) under which
    the athlete counts as stopped when moving time is computed from points; ``met`` is the metabolic
    equivalent used for calorie estimates (Compendium of Physical Activities, moderate effort).
    """

    id: str
    name: str
    display: Literal["pace", "speed"]
    moving_speed_mps: float
    met: float
    gps: bool
    run_best_efforts: bool = False
    power_best_efforts: bool = False


SPORTS: Final[dict[str, Sport]] = {
    s.id: s
    for s in (
        Sport("run", "Run", "pace", 0.2, 9.8, gps=True, run_best_efforts=True),
        Sport("trail_run", "Trail run", "pace", 0.2, 9.0, gps=True, run_best_efforts=True),
        Sport("walk", "Walk", "pace", 0.2, 3.5, gps=True),
        Sport("hike", "Hike", "pace", 0.15, 6.0, gps=True),
        Sport("ride", "Ride", "speed", 0.4, 7.5, gps=True, power_best_efforts=True),
        Sport("virtual_ride", "Virtual ride", "speed", 0.4, 6.8, gps=False, power_best_efforts=True),
        Sport("pool_swim", "Pool swim", "pace", 0.0, 7.0, gps=False),
        Sport("open_water_swim", "Open-water swim", "pace", 0.1, 7.0, gps=True),
        Sport("yoga", "Yoga", "pace", 0.0, 2.5, gps=False),
        Sport("strength", "Strength", "pace", 0.0, 5.0, gps=False),
        Sport("ski", "Ski", "speed", 0.3, 7.0, gps=True),
        Sport("paddle", "Paddle", "speed", 0.2, 5.0, gps=True),
        Sport("other", "Other", "speed", 0.2, 4.0, gps=True),
        # Legs of several sports in one activity (a triathlon): each leg is measured by its own sport;
        # the whole enters no sport's leaderboard and is not recorded live.
        Sport("multisport", "Multisport", "speed", 0.2, 8.0, gps=False),
    )
}

OTHER: Final = "other"
MULTISPORT: Final = "multisport"
# A multisport leg between two sports (changing from swim to bike): not a sport of its own, measured
# as ``other``.
TRANSITION: Final = "transition"


def get_sport(sport_id: str) -> Sport:
    """The catalogue entry for ``sport_id``; unknown ids are measured as ``other``."""
    return SPORTS.get(sport_id, SPORTS[OTHER])


def estimate_calories(sport: str, weight_kg: float | None, seconds: float) -> float:
    """Calories burnt, estimated as MET × body weight (kg) × hours (1 kcal/kg/h per MET)."""
    weight = weight_kg if weight_kg and weight_kg > 0 else DEFAULT_WEIGHT_KG
    return get_sport(sport).met * weight * max(seconds, 0.0) / 3600.0


# --- Names used by devices, file formats and other services ---------------------------------------

FIT_SUB_SPORTS: Final[dict[str, str]] = {
    "trail": "trail_run",
    "treadmill": "run",
    "indoor_running": "run",
    "indoor_cycling": "virtual_ride",
    "virtual_activity": "virtual_ride",
    "spin": "virtual_ride",
    "lap_swimming": "pool_swim",
    "open_water": "open_water_swim",
    "strength_training": "strength",
    "yoga": "yoga",
    "pilates": "yoga",
    "indoor_walking": "walk",
}

FIT_SPORTS: Final[dict[str, str]] = {
    "running": "run",
    "walking": "walk",
    "hiking": "hike",
    "mountaineering": "hike",
    "cycling": "ride",
    "e_biking": "ride",
    "swimming": "pool_swim",
    "training": "strength",
    "fitness_equipment": "strength",
    "cross_country_skiing": "ski",
    "alpine_skiing": "ski",
    "snowboarding": "ski",
    "paddling": "paddle",
    "kayaking": "paddle",
    "rowing": "paddle",
    "stand_up_paddleboarding": "paddle",
    "yoga": "yoga",
}

# GPX <type>, TCX Sport="..." (Garmin, Google Fit Takeout) and Strava activity types (API names and the
# bulk export's display names) share one table: keys are lower-case with spaces, dashes and underscores
# removed.
_NAMES: Final[dict[str, str]] = {
    # runs
    "run": "run",
    "running": "run",
    "virtualrun": "run",
    "treadmill": "run",
    "treadmillrunning": "run",
    "trailrun": "trail_run",
    "trailrunning": "trail_run",
    # walks and hikes
    "walk": "walk",
    "walking": "walk",
    "hike": "hike",
    "hiking": "hike",
    # rides
    "ride": "ride",
    "biking": "ride",
    "cycling": "ride",
    "bike": "ride",
    "roadbiking": "ride",
    "mountainbikeride": "ride",
    "mountainbiking": "ride",
    "gravelride": "ride",
    "ebikeride": "ride",
    "emountainbikeride": "ride",
    "virtualride": "virtual_ride",
    "indoorcycling": "virtual_ride",
    "velomobile": "ride",
    "handcycle": "ride",
    # swims
    "swim": "pool_swim",
    "swimming": "pool_swim",
    "poolswim": "pool_swim",
    "poolswimming": "pool_swim",
    "openwaterswim": "open_water_swim",
    "openwaterswimming": "open_water_swim",
    # gym
    "yoga": "yoga",
    "pilates": "yoga",
    "weighttraining": "strength",
    "strength": "strength",
    "strengthtraining": "strength",
    "crossfit": "strength",
    "workout": "strength",
    "hiit": "strength",
    # snow
    "ski": "ski",
    "alpineski": "ski",
    "backcountryski": "ski",
    "nordicski": "ski",
    "crosscountryskiing": "ski",
    "skiing": "ski",
    "snowboard": "ski",
    # water
    "paddle": "paddle",
    "paddling": "paddle",
    "standuppaddling": "paddle",
    "kayaking": "paddle",
    "canoeing": "paddle",
    "rowing": "paddle",
    # anything else
    "other": "other",
}

HEALTH_WORKOUT_TYPES: Final[dict[str, str]] = {
    "Running": "run",
    "Walking": "walk",
    "Hiking": "hike",
    "Cycling": "ride",
    "HandCycling": "ride",
    "Swimming": "pool_swim",
    "Yoga": "yoga",
    "Pilates": "yoga",
    "MindAndBody": "yoga",
    "TraditionalStrengthTraining": "strength",
    "FunctionalStrengthTraining": "strength",
    "CrossTraining": "strength",
    "HighIntensityIntervalTraining": "strength",
    "DownhillSkiing": "ski",
    "CrossCountrySkiing": "ski",
    "Snowboarding": "ski",
    "SnowSports": "ski",
    "PaddleSports": "paddle",
    "Rowing": "paddle",
}

_SEPARATORS = re.compile(r"[\s_\-]+")


def sport_from_fit(sport: object, sub_sport: object = None) -> str:
    """Our sport id for FIT ``sport``/``sub_sport`` enum names (as fitdecode reports them)."""
    if isinstance(sub_sport, str) and sub_sport in FIT_SUB_SPORTS:
        mapped = FIT_SUB_SPORTS[sub_sport]
        # A swim's sub-sport decides pool vs open water; a cycling "trail" is still a ride.
        generic_parent = sport in (
            "running",
            "swimming",
            "cycling",
            "walking",
            "training",
            "fitness_equipment",
        )
        if (generic_parent or sport is None) and not (sport == "cycling" and mapped == "trail_run"):
            return mapped
    if isinstance(sport, str):
        return FIT_SPORTS.get(sport, OTHER)
    return OTHER


def sport_from_name(name: str | None) -> str:
    """Our sport id for a GPX ``<type>``, a TCX ``Sport`` attribute or a Strava activity type."""
    if not name:
        return OTHER
    return _NAMES.get(_SEPARATORS.sub("", name).lower(), OTHER)


def sport_from_health(workout_type: str | None, *, open_water: bool = False) -> str:
    """Our sport id for an Apple Health ``HKWorkoutActivityType...`` name."""
    if not workout_type:
        return OTHER
    short = workout_type.removeprefix("HKWorkoutActivityType")
    sport = HEALTH_WORKOUT_TYPES.get(short, OTHER)
    if sport == "pool_swim" and open_water:
        return "open_water_swim"
    return sport


def N_(message: str) -> str:
    """Marks a label for the catalogs; pages translate it."""
    return message


# The sports' names as people read them, in English; the catalogs translate them.
SPORT_LABELS: Final = {
    "run": N_("Run"),
    "trail_run": N_("Trail run"),
    "walk": N_("Walk"),
    "hike": N_("Hike"),
    "ride": N_("Ride"),
    "virtual_ride": N_("Virtual ride"),
    "pool_swim": N_("Pool swim"),
    "open_water_swim": N_("Open-water swim"),
    "yoga": N_("Yoga"),
    "strength": N_("Strength"),
    "ski": N_("Ski"),
    "paddle": N_("Paddle"),
    "other": N_("Other"),
    "multisport": N_("Multisport"),
}
TRANSITION_LABEL: Final = N_("Transition")
