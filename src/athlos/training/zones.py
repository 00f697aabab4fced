"""Training zones and the time an activity spent in each. Pure functions, no I/O.

Heart-rate zones are Karvonen's: shares of the heart-rate reserve (maximum − resting) above the resting
rate. Pace zones are Daniels' intensities (easy, marathon, threshold, interval, repetition) as shares of
the runner's VO2max from their VDOT, made contiguous so every second of running falls in one of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from athlos.activities.streams import FloatArray
from athlos.training import predictions

# Karvonen: Z1 50–60 % of the reserve, Z2 60–70 %, Z3 70–80 %, Z4 80–90 %, Z5 90–100 %.
HEART_RATE_RESERVE_BOUNDS: Final = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
HEART_RATE_ZONES: Final = ("z1", "z2", "z3", "z4", "z5")
# Daniels' shares of VO2max: easy 59–74 %, marathon 75–84 %, threshold 83–88 %, interval 95–100 %,
# repetition 105–110 %; the gaps and overlaps are split so that the zones touch.
VO2_BOUNDS: Final = (0.59, 0.745, 0.835, 0.915, 1.025, 1.20)
PACE_ZONES: Final = ("easy", "marathon", "threshold", "interval", "repetition")
# A gap between two samples longer than this is a pause, not time spent in a zone.
LONGEST_SAMPLE_GAP_S: Final = 30.0


@dataclass(frozen=True, slots=True)
class Zone:
    """One zone: its key and its bounds (beats per minute, or metres per second for pace zones)."""

    key: str
    low: float
    high: float


def heart_rate_zones(resting: float, maximum: float) -> list[Zone]:
    reserve = maximum - resting
    if reserve <= 0:
        raise ValueError("the maximum heart rate must be above the resting one")
    bounds = [resting + share * reserve for share in HEART_RATE_RESERVE_BOUNDS]
    return [
        Zone(key, round(low), round(high))
        for key, low, high in zip(HEART_RATE_ZONES, bounds, bounds[1:], strict=False)
    ]


def pace_zones(of_vdot: float) -> list[Zone]:
    """Daniels' zones for a runner of ``of_vdot``, bounds in metres per second (slow to fast)."""
    speeds = [predictions.velocity_at(share * of_vdot) / 60.0 for share in VO2_BOUNDS]
    return [
        Zone(key, round(low, 3), round(high, 3))
        for key, low, high in zip(PACE_ZONES, speeds, speeds[1:], strict=False)
    ]


def time_in_zones(time: FloatArray, values: FloatArray, zones: list[Zone]) -> dict[str, float]:
    """Seconds spent in each zone, plus ``below`` and ``above`` the outer bounds.

    Each interval between two samples counts for the zone of the value at its end; intervals longer
    than :data:`LONGEST_SAMPLE_GAP_S` (pauses) and samples without a value are left out.
    """
    spent = {"below": 0.0, **{zone.key: 0.0 for zone in zones}, "above": 0.0}
    if time.size < 2 or not zones:
        return spent
    gaps = np.diff(time)
    ends = values[1:]
    counted = np.isfinite(ends) & (gaps > 0) & (gaps <= LONGEST_SAMPLE_GAP_S)
    gaps, ends = gaps[counted], ends[counted]
    edges = np.array([zones[0].low, *(zone.high for zone in zones)])
    # 0: below the first zone; 1..n: the zones; n + 1: above the last.
    slots = np.searchsorted(edges, ends, side="right")
    slots[ends == edges[-1]] = len(zones)  # the top bound belongs to the last zone
    totals = np.bincount(slots, weights=gaps, minlength=len(zones) + 2)
    keys = ["below", *(zone.key for zone in zones), "above"]
    return {key: round(float(total), 1) for key, total in zip(keys, totals, strict=True)}
