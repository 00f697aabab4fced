"""How live progress is ranked and checked: pure functions shared by Redis (its Lua script mirrors
``score``) and the database fallback.

One number orders the field: a finisher scores ``FINISHED_BASE - finish_s`` (earlier is higher), a runner
scores their distance in metres, always below ``FINISHED_BASE``; a leaderboard reads scores from the
highest, ties broken by registration id (highest first, as Redis orders equal scores in reverse).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

FINISHED_BASE: Final = 1e10
# Faster than this on average over the distance so far is not a person (m/s), by sport.
TOP_SPEED_M_S: Final = {"running": 12.0, "walking": 5.0, "hiking": 5.0, "cycling": 30.0, "swimming": 3.0}
DEFAULT_TOP_SPEED_M_S: Final = 30.0
# A phone may count a little past the line before its next update; more than this is not a race.
DISTANCE_SLACK: Final = 2.0


def score(distance_m: float, finish_s: float | None) -> float:
    if finish_s is not None:
        return FINISHED_BASE - round(finish_s, 3)
    return round(distance_m, 1)


def finish_time(race_m: float, before_m: float, before_s: float, after_m: float, after_s: float) -> float:
    """When the line at ``race_m`` was crossed between two updates, on a straight line between them."""
    if after_m <= before_m or after_s <= before_s or before_m >= race_m:
        return after_s
    return before_s + (race_m - before_m) * (after_s - before_s) / (after_m - before_m)


@dataclass(frozen=True)
class Update:
    seq: int
    distance_m: float
    elapsed_s: float
    lat: float | None = None
    lon: float | None = None


def impossible(update: Update, race_m: float, sport: str, running_for_s: float) -> str | None:
    """Why an update cannot be true (None when it can): the reason goes into the refusal's detail."""
    values = (update.distance_m, update.elapsed_s)
    if any(math.isnan(v) or math.isinf(v) for v in values):
        return "distance and elapsed time must be numbers"
    if update.distance_m < 0 or update.elapsed_s < 0:
        return "distance and elapsed time cannot be negative"
    if update.distance_m > race_m * DISTANCE_SLACK + 1000:
        return "the distance is far beyond the race's"
    if update.elapsed_s > running_for_s + 60:
        return "more time has elapsed than the race has been running"
    top = TOP_SPEED_M_S.get(sport, DEFAULT_TOP_SPEED_M_S)
    if update.distance_m > 200 and update.distance_m > top * max(update.elapsed_s, 1.0):
        return "faster than anyone can go"
    if (update.lat is None) != (update.lon is None):
        return "a position needs both latitude and longitude"
    if (
        update.lat is not None
        and update.lon is not None
        and not (-90 <= update.lat <= 90 and -180 <= update.lon <= 180)
    ):
        return "the position is not on Earth"
    return None


def pace_s_per_km(distance_m: float, elapsed_s: float) -> float | None:
    if distance_m < 10 or elapsed_s <= 0:
        return None
    return round(elapsed_s / distance_m * 1000, 1)
