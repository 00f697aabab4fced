"""Activity metrics from streams: distance, times, elevation, speed, heart rate, power, splits, efforts.

Pure numpy, no I/O. ``summarize()`` is the entry point; the other public functions each compute one
figure from arrays and can be used on their own (manual entries, live recordings). One module per
idea: ``motion`` (distance, moving time, speed), ``elevation``, ``intensity`` (heart rate, cadence,
power), ``efforts`` (best efforts, splits, laps) and ``summary`` (all of them at once).
"""

from athlos.activities.metrics.efforts import RUN_EFFORTS_M, best_efforts, lap_summaries, splits
from athlos.activities.metrics.elevation import ELEVATION_HYSTERESIS_M, climb_threshold, elevation_gain_loss
from athlos.activities.metrics.intensity import best_power, mean_max, normalized_power, power_per_second
from athlos.activities.metrics.json_ready import iso_utc
from athlos.activities.metrics.motion import (
    KM,
    MILE,
    cumulative_distance,
    distance_while_moving,
    geodesic,
    moving_mask,
    segment_distances,
    windowed_speed,
)
from athlos.activities.metrics.summary import compute, start_point, summarize

__all__ = [
    "ELEVATION_HYSTERESIS_M",
    "KM",
    "MILE",
    "RUN_EFFORTS_M",
    "best_efforts",
    "best_power",
    "climb_threshold",
    "compute",
    "cumulative_distance",
    "distance_while_moving",
    "elevation_gain_loss",
    "geodesic",
    "iso_utc",
    "lap_summaries",
    "mean_max",
    "moving_mask",
    "normalized_power",
    "power_per_second",
    "segment_distances",
    "splits",
    "start_point",
    "summarize",
    "windowed_speed",
]
