"""Heart rate, cadence and power: averages, maxima, normalized power and the best power efforts."""

from __future__ import annotations

from typing import Final

import numpy as np

from athlos.activities.metrics.motion import PAUSE_GAP_S
from athlos.activities.streams import FloatArray

POWER_EFFORTS_S: Final = {"5min": 300, "20min": 1200, "60min": 3600}


def mean_max(values: FloatArray, *, ignore_zero: bool = False) -> tuple[float | None, float | None]:
    """Mean and maximum of the recorded values (zeros left out when ``ignore_zero``)."""
    ok = np.isfinite(values)
    if ignore_zero:
        ok &= values > 0
    if not ok.any():
        return None, None
    return float(values[ok].mean()), float(values[ok].max())


def power_per_second(time: FloatArray, power: FloatArray) -> FloatArray:
    """Power on a 1 s grid from the first to the last sample; pauses and missing samples are 0 W."""
    ok = np.isfinite(power)
    if ok.sum() < 2:
        return np.zeros(0)
    t, p = time[ok], power[ok]
    grid = np.arange(t[0], t[-1] + 0.5, 1.0)
    at = np.searchsorted(t, grid, side="right") - 1
    held = p[at]
    gap_after = np.diff(t, append=t[-1]) > PAUSE_GAP_S
    held[gap_after[at] & (grid > t[at])] = 0.0
    return held


def normalized_power(per_second: FloatArray) -> float | None:
    """Normalized power: fourth-power mean of the 30 s rolling average, to the fourth root."""
    if per_second.shape[0] < 30:
        return None
    rolling = _rolling_means(per_second, 30)
    return float(np.mean(rolling**4) ** 0.25)


def _rolling_means(values: FloatArray, window: int) -> FloatArray:
    csum = np.concatenate(([0.0], np.cumsum(values)))
    return np.asarray((csum[window:] - csum[:-window]) / window, dtype=np.float64)


def best_power(per_second: FloatArray) -> dict[str, float]:
    """Highest average power over 5, 20 and 60 minutes (only the durations the ride lasted)."""
    return {
        name: round(float(_rolling_means(per_second, seconds).max()), 1)
        for name, seconds in POWER_EFFORTS_S.items()
        if per_second.shape[0] >= seconds
    }
