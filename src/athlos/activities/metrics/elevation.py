"""Elevation gain and loss: smoothing what the altimeter scatters, counting only real climbs."""

from __future__ import annotations

from typing import Final

import numpy as np

from athlos.activities.metrics.motion import median
from athlos.activities.streams import FloatArray

ELEVATION_SMOOTHING_S: Final = 10.0
SMOOTHING_SAMPLES: Final = 3  # the smoothing window holds this many samples at least, however sparse
ELEVATION_HYSTERESIS_M: Final = 2.0  # when the athlete's pace is unknown
BAROMETER_NOISE_M: Final = 0.5  # barometers scatter less than this from sample to sample, GPS more
GPS_SMOOTHING: Final = 3.0  # GPS altitude is smoothed over this many times the barometer's window
# A swing counts as a climb once it is larger than what the altimeter wanders while the athlete covers
# a stretch of road: the threshold is CLIMB_NOISE / pace (m/s), within CLIMB_THRESHOLD_M.
CLIMB_NOISE_M2_PER_S: Final = 8.0
CLIMB_THRESHOLD_M: Final = (1.0, 3.0)


def smooth(time: FloatArray, values: FloatArray, window_s: float) -> FloatArray:
    """Centred moving average over ``window_s`` seconds (irregular sampling allowed)."""
    if values.shape[0] < 3 or window_s <= 0:
        return values.copy()
    csum = np.concatenate(([0.0], np.cumsum(values)))
    lo = np.searchsorted(time, time - window_s / 2.0, side="left")
    hi = np.searchsorted(time, time + window_s / 2.0, side="right")
    return np.asarray((csum[hi] - csum[lo]) / (hi - lo), dtype=np.float64)


def despike(values: FloatArray, width: int = 5) -> FloatArray:
    """Running median over ``width`` (odd) samples: removes single-sample glitches (a barometer's -86 m
    blip)."""
    if values.shape[0] < width:
        return values.copy()
    half = width // 2
    padded = np.pad(values, half, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, width)
    return np.asarray(np.partition(windows, half, axis=1)[:, half])


def elevation_gain_loss(
    time: FloatArray,
    altitude: FloatArray,
    *,
    hysteresis_m: float | None = None,
    pace_mps: float | None = None,
    paused: np.ndarray | None = None,
) -> tuple[float, float]:
    """Total ascent and descent (m): de-spiked altitude smoothed in time, counting only swings of
    ``hysteresis_m`` or more.

    The smoothing window is :data:`ELEVATION_SMOOTHING_S`, widened to hold :data:`SMOOTHING_SAMPLES`
    samples of a sparse recording, and :data:`GPS_SMOOTHING` times that for an altitude that scatters
    from sample to sample like GPS altitude rather than a barometer's (:data:`BAROMETER_NOISE_M`).
    The default hysteresis adapts to the athlete and to the altimeter:
    a barometer wanders by a metre or two over minutes, which a cyclist crosses in seconds and a runner
    in minutes, so it is :data:`CLIMB_NOISE_M2_PER_S` divided by ``pace_mps`` (the average moving
    speed), within :data:`CLIMB_THRESHOLD_M` (:data:`ELEVATION_HYSTERESIS_M` when the pace is unknown);
    and at least three times the sample-to-sample noise, as GPS altitude needs. Altitude changes across
    the ``paused`` intervals (the device stood still, the barometer drifted) count for nothing.
    """
    valid = np.isfinite(altitude)
    if valid.sum() < 2:
        return 0.0, 0.0
    alt = altitude[valid]
    if paused is not None and paused.any():
        jumps = np.where(paused, np.diff(np.where(valid, altitude, np.nan)), 0.0)
        drift = np.concatenate(([0.0], np.cumsum(np.nan_to_num(jumps))))
        alt = alt - drift[valid]
    t, raw = time[valid], alt
    alt = despike(raw)
    dt = np.diff(t)
    usual = median(dt[dt > 0]) if (dt > 0).any() else 0.0
    window = max(ELEVATION_SMOOTHING_S, SMOOTHING_SAMPLES * usual)
    enough = raw.shape[0] > 10
    # the scatter of single samples, from second differences so that climbing does not count
    scatter = median(np.abs(np.diff(raw, 2))) * 1.4826 / np.sqrt(6.0) if enough else 0.0
    if scatter > BAROMETER_NOISE_M:
        window *= GPS_SMOOTHING
    smoothed = smooth(t, alt, window)
    if hysteresis_m is None:
        noise = median(np.abs(raw - smoothed)) * 1.4826 if enough else 0.0
        hysteresis_m = max(climb_threshold(pace_mps), 3.0 * noise)
    return _hysteresis_gain_loss(smoothed, hysteresis_m)


def climb_threshold(pace_mps: float | None) -> float:
    """The smallest swing (m) that counts as a climb at this average moving speed (m/s)."""
    if not pace_mps or pace_mps <= 0:
        return ELEVATION_HYSTERESIS_M
    low, high = CLIMB_THRESHOLD_M
    return min(max(CLIMB_NOISE_M2_PER_S / pace_mps, low), high)


def _hysteresis_gain_loss(values: FloatArray, h: float) -> tuple[float, float]:
    # Only turning points matter: drop samples inside monotone runs before the Python loop.
    diff = np.diff(values)
    keep = np.ones(values.shape[0], dtype=bool)
    if diff.shape[0] > 1:
        sign = np.sign(diff)
        nonzero = sign != 0
        idx = np.flatnonzero(nonzero)
        turning = np.zeros(values.shape[0], dtype=bool)
        if idx.shape[0]:
            change = np.flatnonzero(sign[idx][1:] != sign[idx][:-1])
            turning[idx[change] + 1] = True
        turning[0] = turning[-1] = True
        keep = turning
    low = high = pivot = extreme = float(values[0])
    direction = 0  # 1 climbing, -1 descending, 0 not yet decided
    gain = loss = 0.0
    for x in values[keep].tolist():
        if direction == 0:
            low, high = min(low, x), max(high, x)
            if x - low >= h:
                direction, pivot, extreme = 1, low, x
            elif high - x >= h:
                direction, pivot, extreme = -1, high, x
        elif direction == 1:
            if x > extreme:
                extreme = x
            elif extreme - x >= h:
                gain += extreme - pivot
                direction, pivot, extreme = -1, extreme, x
        elif x < extreme:
            extreme = x
        elif x - extreme >= h:
            loss += pivot - extreme
            direction, pivot, extreme = 1, extreme, x
    if direction == 1:
        gain += extreme - pivot
    elif direction == -1:
        loss += pivot - extreme
    return gain, loss
