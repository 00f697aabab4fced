"""How fast a person can plausibly move in each sport, and the verdict on an activity's speed.

Pure: the figures come from the ``activity.*`` event (its totals and best efforts). The limits are
generous on purpose: they catch a car, a train or a file whose clock was tampered with, not a fast
athlete. The 1 km limit sits above the world record over that distance (2:11.96, 7.6 m/s).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

KMH: Final = 1 / 3.6


@dataclass(frozen=True, slots=True)
class SpeedLimit:
    """``average_mps``: the most an average moving speed may be; ``one_km_mps``: the most over the
    fastest kilometre (where the activity has that best effort)."""

    average_mps: float
    one_km_mps: float | None = None


# Sports measured without a speed (yoga, strength, virtual rides...) have no limit.
SPEED_LIMITS: Final[dict[str, SpeedLimit]] = {
    "run": SpeedLimit(25 * KMH, 30 * KMH),
    "trail_run": SpeedLimit(22 * KMH, 30 * KMH),
    "walk": SpeedLimit(12 * KMH),
    "hike": SpeedLimit(10 * KMH),
    "ride": SpeedLimit(60 * KMH),
    "open_water_swim": SpeedLimit(9 * KMH),
    "pool_swim": SpeedLimit(9 * KMH),
    "ski": SpeedLimit(90 * KMH),
    "paddle": SpeedLimit(25 * KMH),
}


@dataclass(frozen=True, slots=True)
class SpeedVerdict:
    """``speed_mps``: the speed that was too high (or the average when none was); ``limit_mps``: its limit."""

    plausible: bool
    speed_mps: float | None = None
    limit_mps: float | None = None


def average_speed(facts: Mapping[str, Any]) -> float | None:
    distance, seconds = facts.get("distance_m"), facts.get("moving_time_s") or facts.get("elapsed_time_s")
    if not distance or not seconds or seconds <= 0:
        return None
    return float(distance) / float(seconds)


def judge_speed(sport: str, facts: Mapping[str, Any]) -> SpeedVerdict:
    """Whether the activity's average and its fastest kilometre are possible in ``sport``."""
    limit = SPEED_LIMITS.get(sport)
    average = average_speed(facts)
    if limit is None:
        return SpeedVerdict(True, average)
    if average is not None and average > limit.average_mps:
        return SpeedVerdict(False, average, limit.average_mps)
    one_km = (facts.get("best_efforts") or {}).get("1k")
    if limit.one_km_mps is not None and one_km:
        speed = 1000.0 / float(one_km)
        if speed > limit.one_km_mps:
            return SpeedVerdict(False, speed, limit.one_km_mps)
    return SpeedVerdict(True, average)
