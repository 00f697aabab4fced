"""Best efforts over standard distances, splits per kilometre or mile, and lap summaries."""

from __future__ import annotations

from typing import Any, Final

import numpy as np

from athlos.activities.metrics.json_ready import iso_utc, rounded
from athlos.activities.metrics.motion import KM, MILE
from athlos.activities.streams import FloatArray, Lap

RUN_EFFORTS_M: Final = {
    "400m": 400.0,
    "1k": 1000.0,
    "1mile": MILE,
    "5k": 5000.0,
    "10k": 10000.0,
    "half_marathon": 21097.5,
    "marathon": 42195.0,
}


def fastest_over(time: FloatArray, distance: FloatArray, length: float) -> float | None:
    """Fastest elapsed time (s) over ``length`` metres anywhere on the track; None when it is shorter.

    A two-pointer sweep: for every start sample, the end is the first point at which the distance has
    grown by ``length`` (found for all starts at once with one monotone search), the end time
    interpolated within that segment.
    """
    if distance.shape[0] < 2 or length <= 0 or length > float(distance[-1]):
        return None
    starts = np.flatnonzero(distance <= float(distance[-1]) - length)
    target = distance[starts] + length
    end = np.searchsorted(distance, target, side="left")
    prev = np.maximum(end - 1, 0)
    span = distance[end] - distance[prev]
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(span > 0, (target - distance[prev]) / span, 1.0)
    end_time = time[prev] + frac * (time[end] - time[prev])
    return round(float(np.min(end_time - time[starts])), 1)


def best_efforts(time: FloatArray, distance: FloatArray) -> dict[str, float]:
    """Fastest elapsed time (s) over each of :data:`RUN_EFFORTS_M` that the activity covered."""
    result: dict[str, float] = {}
    for name, length in RUN_EFFORTS_M.items():
        fastest = fastest_over(time, distance, length)
        if fastest is None:
            break
        result[name] = fastest
    return result


def splits(
    time: FloatArray,
    distance: FloatArray,
    moving_seconds: FloatArray,
    altitude: FloatArray,
    heart_rate: FloatArray,
    unit_m: float,
) -> list[dict[str, Any]]:
    """Per-unit splits (km or mile), the last one partial: distance, elapsed and moving time, pace."""
    total = float(distance[-1]) if distance.shape[0] else 0.0
    if total <= 0:
        return []
    marks = np.append(np.arange(0.0, total, unit_m), total)
    if marks.shape[0] > 1 and marks[-1] - marks[-2] < 1.0:
        marks = np.delete(marks, -2)
    # np.interp wants increasing x: nudge flat stretches apart so each mark maps to its first sample
    x = distance + np.arange(distance.shape[0]) * 1e-9
    at_time = np.interp(marks, x, time)
    at_moving = np.interp(marks, x, moving_seconds)
    alt_ok = np.isfinite(altitude)
    at_alt = np.interp(marks, x[alt_ok], altitude[alt_ok]) if alt_ok.sum() >= 2 else None
    # heart rate over the samples from each mark's to the next one's, both included
    index = np.searchsorted(x, marks)
    first, last = index[:-1], np.minimum(index[1:] + 1, heart_rate.shape[0])
    recorded = np.isfinite(heart_rate)
    beats = np.concatenate(([0.0], np.cumsum(np.where(recorded, heart_rate, 0.0))))
    counted = np.concatenate(([0], np.cumsum(recorded)))
    hr_count = counted[last] - counted[first]
    with np.errstate(divide="ignore", invalid="ignore"):
        hr_mean = np.where(hr_count > 0, (beats[last] - beats[first]) / hr_count, np.nan)
    lengths = np.diff(marks)
    elapsed, moving = np.diff(at_time), np.diff(at_moving)
    change = np.diff(at_alt) if at_alt is not None else np.full(lengths.shape, np.nan)
    rows = zip(
        lengths.tolist(), elapsed.tolist(), moving.tolist(), change.tolist(), hr_mean.tolist(), strict=True
    )
    return [
        {
            "index": k + 1,
            "distance_m": round(length, 1),
            "elapsed_time_s": round(spent, 1),
            "moving_time_s": round(moved, 1),
            "pace_s_per_km": round(moved / length * KM, 1) if length > 0 and moved > 0 else None,
            "elevation_change_m": rounded(climbed),
            "avg_heart_rate": rounded(hr),
        }
        for k, (length, spent, moved, climbed, hr) in enumerate(rows)
    ]


def lap_summaries(laps: list[Lap], time: FloatArray, distance: FloatArray) -> list[dict[str, Any]]:
    """The file's laps, each with its recorded figures and the distance computed from the points."""
    result = []
    for k, lap in enumerate(laps):
        end = laps[k + 1].start_time if k + 1 < len(laps) else (time[-1] if time.shape[0] else lap.start_time)
        if lap.elapsed_time_s is not None:
            end = min(end, lap.start_time + lap.elapsed_time_s)
        computed = None
        if time.shape[0] >= 2:
            a, b = np.interp([lap.start_time, end], time, distance)
            computed = round(float(b - a), 1)
        result.append(
            {
                "index": k + 1,
                "start_time": iso_utc(lap.start_time),
                "elapsed_time_s": rounded(lap.elapsed_time_s),
                "timer_time_s": rounded(lap.timer_time_s),
                "distance_m": rounded(lap.distance_m),
                "computed_distance_m": computed,
                "avg_heart_rate": rounded(lap.avg_heart_rate),
                "max_heart_rate": rounded(lap.max_heart_rate),
                "calories": rounded(lap.calories),
            }
        )
    return result
