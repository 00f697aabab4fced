"""Stream series for charts and clients: derived channels (distance, speed, pace) and downsampling.

Pure numpy, no I/O. Derived channels are computed from every sample before any is left out, so a
downsampled series shows the same distances and a trimmed track (privacy zones) the same times.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from athlos.activities.metrics import distance_while_moving, windowed_speed
from athlos.activities.streams import FloatArray, Streams
from athlos.vocabulary.sports import get_sport

DEFAULT_RESOLUTION: Final = 1000
MAX_RESOLUTION: Final = 10_000
# Digits kept per channel: ~10 cm for positions, a tenth for most, whole beats and watts.
DIGITS: Final = {
    "time": 1,
    "distance": 1,
    "lat": 6,
    "lon": 6,
    "altitude": 1,
    "heart_rate": 0,
    "cadence": 0,
    "power": 0,
    "speed": 3,
    "pace": 1,
}
RECORDED: Final = ("lat", "lon", "altitude", "heart_rate", "cadence", "power")

Series = dict[str, list[float | None] | None]


def sample_indices(n: int, resolution: int) -> npt.NDArray[np.intp]:
    """At most ``resolution`` evenly spread sample indices, the first and the last always among them."""
    if n <= resolution:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, num=max(resolution, 2)).round().astype(np.intp))


def per_sample(intervals: FloatArray) -> FloatArray:
    """Values of the ``n - 1`` intervals between samples as ``n`` values at the samples (the mean of the
    intervals on either side)."""
    return np.concatenate((intervals[:1], (intervals[:-1] + intervals[1:]) / 2.0, intervals[-1:]))


def derived(streams: Streams, sport: str) -> dict[str, FloatArray]:
    """Distance (m) from the start, speed (m/s) and pace (s/km, only while moving) per sample."""
    n = len(streams)
    if n == 0:
        return {"distance": np.zeros(0), "speed": np.zeros(0), "pace": np.zeros(0)}
    threshold = get_sport(sport).moving_speed_mps
    distance, _ = distance_while_moving(streams, threshold)  # the distance the summary counts
    speed = per_sample(windowed_speed(streams.time, distance)) if n >= 2 else np.full(n, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        pace = np.where(speed >= max(threshold, 0.1), 1000.0 / speed, np.nan)
    return {"distance": distance, "speed": speed, "pace": pace}


def as_list(values: FloatArray, digits: int) -> list[float | None]:
    """JSON-ready values: rounded, ``None`` where nothing was recorded."""
    rounded = np.round(np.where(np.isfinite(values), values, np.nan), digits).tolist()
    return [None if v != v else v for v in rounded]  # NaN is the one value unequal to itself


def series(full: Streams, shown: Streams, sport: str, resolution: int) -> Series:
    """Each channel at ``resolution`` samples at most. ``full`` gives the derived channels, ``shown``
    (the same samples, possibly with positions hidden) the recorded ones; ``None`` for a channel never
    recorded. ``time`` counts seconds from the first sample."""
    n = len(shown)
    index = sample_indices(n, resolution)
    extra = derived(full, sport)
    start = float(shown.time[0]) if n else 0.0
    out: Series = {"time": as_list(shown.time[index] - start, DIGITS["time"])}
    for name in ("distance", "speed", "pace"):
        values = extra[name][index]
        out[name] = as_list(values, DIGITS[name]) if np.isfinite(values).any() or name == "distance" else None
    for name in RECORDED:
        out[name] = as_list(getattr(shown, name)[index], DIGITS[name]) if full.has(name) else None
    return out
