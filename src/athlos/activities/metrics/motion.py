"""Distance over the ground, the time spent moving and speed: the figures every sport has."""

from __future__ import annotations

from typing import Final

import numpy as np

from athlos.activities.streams import FloatArray, Streams

# WGS84 ellipsoid.
WGS84_A: Final = 6_378_137.0
WGS84_E2: Final = 6.694_379_990_14e-3
PAUSE_GAP_S: Final = 60.0  # without any distance, a silence longer than this between samples is a pause
GAP_INTERVALS: Final = 4.0  # an interval this many times the usual one (and over MIN_GAP_S) is a break
MIN_GAP_S: Final = 10.0
GAP_PACE_SHARE: Final = 0.8  # a break crossed at this share of the pace either side of it is lost signal
AROUND_GAP_S: Final = 30.0  # the pace either side of a break is measured over this long
SPEED_WINDOW_S: Final = 5.0  # speeds are measured over at least this long, to damp GPS jitter
STOP_WINDOW_S: Final = 30.0  # standstills are judged on the net displacement over this long
RECORDED_SLIP_M: Final = 10.0  # recorded distance going back more than this is a reset or corrupt
KM: Final = 1000.0
MILE: Final = 1609.344


def segment_distances(lat: FloatArray, lon: FloatArray) -> FloatArray:
    """Geodesic length (m) of each segment between consecutive points, on the WGS84 ellipsoid."""
    if lat.shape[0] < 2:
        return np.zeros(0)
    return geodesic(lat[:-1], lon[:-1], lat[1:], lon[1:])


def geodesic(lat1: FloatArray, lon1: FloatArray, lat2: FloatArray, lon2: FloatArray) -> FloatArray:
    """Distance (m) between point pairs on the WGS84 ellipsoid, for pairs up to a few tens of km apart.

    Each pair is measured in the local tangent plane with the ellipsoid's meridional and prime-vertical
    radii of curvature at its mid-latitude: for the metres to kilometres between track points this
    agrees with Vincenty's inverse formula to well under 0.01 %.
    """
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    mid = (phi1 + phi2) / 2.0
    w = np.sqrt(1.0 - WGS84_E2 * np.sin(mid) ** 2)
    meridional = WGS84_A * (1.0 - WGS84_E2) / w**3
    prime_vertical = WGS84_A / w
    dlam = np.radians((np.asarray(lon2) - lon1 + 180.0) % 360.0 - 180.0)
    return np.asarray(np.hypot(meridional * (phi2 - phi1), prime_vertical * np.cos(mid) * dlam))


def cumulative_distance(streams: Streams, *, use_recorded: bool = True) -> FloatArray:
    """Distance (m) covered at each sample, non-decreasing.

    The file's own distance records come first (``use_recorded``), as the devices and Strava count
    them: a wheel or trainer sensor measures what positions only trace, and an indoor ride's positions
    are drawn on a virtual map. Records that go back (a reset, a corrupt field) give way to positions
    when there are any (samples without one carry the distance of the last one with). Without either,
    speed × time, else zeros.
    """
    n = len(streams)
    if n == 0:
        return np.zeros(0)
    if use_recorded and streams.has("distance") and (_steady(streams.distance) or not streams.has_positions):
        return _forward_fill_monotonic(streams.distance)
    if streams.has_positions:
        valid = np.isfinite(streams.lat) & np.isfinite(streams.lon)
        idx = np.flatnonzero(valid)
        steps = segment_distances(streams.lat[idx], streams.lon[idx])
        at_valid = np.concatenate(([0.0], np.cumsum(steps)))
        owner = np.maximum(np.cumsum(valid) - 1, 0)
        return at_valid[owner]
    if streams.has("speed"):
        speed = np.nan_to_num(streams.speed)
        dt = np.diff(streams.time)
        dt = np.where(dt > PAUSE_GAP_S, 0.0, dt)
        return np.concatenate(([0.0], np.cumsum(speed[1:] * dt)))
    return np.zeros(n)


def _steady(recorded: FloatArray) -> bool:
    """Whether recorded distance covers some ground and never goes back by more than
    :data:`RECORDED_SLIP_M` (a reset or a corrupt field)."""
    finite = recorded[np.isfinite(recorded)]
    if finite.shape[0] < 2 or finite[-1] <= finite[0]:
        return False
    return not bool((np.diff(finite) < -RECORDED_SLIP_M).any())


def _forward_fill_monotonic(values: FloatArray) -> FloatArray:
    filled = np.where(np.isfinite(values), values, -np.inf)
    filled = np.maximum.accumulate(filled)
    filled[~np.isfinite(filled)] = 0.0
    return filled - filled[0] if filled[0] > 0 else filled


def moving_mask(
    streams: Streams, distance: FloatArray, threshold_mps: float, *, activity_signal: FloatArray | None = None
) -> np.ndarray:
    """Which of the ``n - 1`` intervals between samples count as moving.

    An interval is a pause when the athlete's net displacement over the :data:`STOP_WINDOW_S` around it
    is slower than ``threshold_mps``: net displacement rather than path length, so GPS jitter around a
    standstill does not add up to movement. A break in the recording (see :func:`recording_breaks`) is
    a pause too — devices stop recording while their timer is paused — unless it was crossed at about
    the athlete's pace either side of it (:data:`GAP_PACE_SHARE`): that is lost signal or sparse
    logging. Without any distance, samples more than :data:`PAUSE_GAP_S` apart are a pause, and
    ``activity_signal`` (speed, power or cadence per sample) decides for the others; without that,
    every interval shorter than the gap counts.
    """
    time = streams.time
    n = time.shape[0]
    if n < 2:
        return np.zeros(0, dtype=bool)
    dt = np.diff(time)
    short = (dt > 0) & (dt <= PAUSE_GAP_S)
    if distance[-1] > 0:
        moving = (dt > 0) & (displacement_speed(streams, distance) >= threshold_mps)
        breaks = np.flatnonzero(recording_breaks(time))
        if breaks.shape[0]:
            moving[breaks] = _crossed_at_pace(streams, distance, breaks, threshold_mps)
        return moving
    if activity_signal is not None and np.isfinite(activity_signal).any():
        signal = np.nan_to_num(activity_signal)
        return short & ((signal[1:] > 0) | (signal[:-1] > 0))
    return short


def distance_while_moving(streams: Streams, threshold_mps: float) -> tuple[FloatArray, np.ndarray]:
    """The distance (m) covered while moving at each sample (:func:`moving_distance`) and which
    intervals count as moving (:func:`moving_mask`), for an athlete stopped below ``threshold_mps``."""
    path = cumulative_distance(streams)
    signal = next((getattr(streams, c) for c in ("speed", "power", "cadence") if streams.has(c)), None)
    moving = moving_mask(streams, path, threshold_mps, activity_signal=signal)
    return moving_distance(streams, path, moving, threshold_mps), moving


def recording_breaks(time: FloatArray) -> np.ndarray:
    """Intervals where the recording stopped: :data:`GAP_INTERVALS` times the file's usual interval
    between samples (its median), and longer than :data:`MIN_GAP_S`."""
    dt = np.diff(time)
    positive = dt[dt > 0]
    if not positive.shape[0]:
        return np.zeros(dt.shape[0], dtype=bool)
    usual = median(positive)
    return np.asarray(dt > max(GAP_INTERVALS * usual, MIN_GAP_S))


def _crossed_at_pace(
    streams: Streams, distance: FloatArray, breaks: np.ndarray, threshold_mps: float
) -> np.ndarray:
    """Whether each break was crossed at :data:`GAP_PACE_SHARE` of the slower pace either side of it."""
    time = streams.time
    before, after = breaks, breaks + 1
    across = distance[after] - distance[before]
    if streams.has_positions:
        lat, lon = _filled(streams.lat), _filled(streams.lon)
        net = geodesic(lat[before], lon[before], lat[after], lon[after])
        across = np.where(np.isfinite(net), np.minimum(net, across), across)
    speed = across / (time[after] - time[before])
    first = np.searchsorted(time, time[before] - AROUND_GAP_S, side="left")
    last = np.searchsorted(time, time[after] + AROUND_GAP_S, side="right") - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        pace_before = (distance[before] - distance[first]) / (time[before] - time[first])
        pace_after = (distance[last] - distance[after]) / (time[last] - time[after])
    around = np.fmin(pace_before, pace_after)  # NaN (no samples) on one side: the other decides
    around = np.where(np.isfinite(around), around, 0.0)
    return np.asarray((speed >= threshold_mps) & (speed >= GAP_PACE_SHARE * around))


def _filled(values: FloatArray) -> FloatArray:
    """``values`` with each NaN replaced by the last value before it (the first value before any)."""
    valid = np.isfinite(values)
    if valid.all() or not valid.any():
        return values
    index = np.maximum.accumulate(np.where(valid, np.arange(values.shape[0]), 0))
    index[: int(np.argmax(valid))] = int(np.argmax(valid))
    return values[index]


def moving_distance(
    streams: Streams, distance: FloatArray, moving: np.ndarray, threshold_mps: float
) -> FloatArray:
    """Cumulative distance (m) covered while moving.

    A stretch of standing still counts its net displacement when its path grew slower than
    ``threshold_mps`` (the GPS jitter of a standstill adds nothing, a slow shuffle forward is kept), and
    its path when that grew faster (walking to and fro on the spot: a transition area, a ferry deck). A
    break in the recording judged a pause counts nothing, as on the device whose timer stood still.
    """
    n = distance.shape[0]
    if n < 2:
        return distance.copy()
    steps = np.where(moving, np.diff(distance), 0.0)
    still = ~moving & ~recording_breaks(streams.time)
    if still.any():
        edges = np.diff(np.concatenate(([False], still, [False])).astype(np.int8))
        first, last = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)  # samples a..b
        net = distance[last] - distance[first]
        if streams.has_positions:
            lat, lon = _filled(streams.lat), _filled(streams.lon)
            straight = geodesic(lat[first], lon[first], lat[last], lon[last])
            net = np.where(np.isfinite(straight), np.minimum(straight, net), net)
        path = distance[last] - distance[first]
        jitter = path < threshold_mps * (streams.time[last] - streams.time[first])
        steps[last - 1] = np.where(jitter, net, path)
    return np.concatenate(([0.0], np.cumsum(steps)))


def median(values: FloatArray) -> float:
    """The median of a non-empty array (by partition: ``np.median`` would import ``numpy.ma``, a tenth
    of a command's start-up)."""
    n = values.shape[0]
    middle = np.partition(values, [(n - 1) // 2, n // 2])
    return float(middle[(n - 1) // 2] + middle[n // 2]) / 2.0


def _windows(time: FloatArray, window_s: float) -> tuple[np.ndarray, np.ndarray]:
    """For each interval, the first and last sample of the window of ``window_s`` centred on it."""
    n = time.shape[0]
    mid = (time[1:] + time[:-1]) / 2.0
    lo = np.searchsorted(time, mid - window_s / 2.0, side="left")
    hi = np.searchsorted(time, mid + window_s / 2.0, side="right") - 1
    # never shorter than the interval itself
    lo = np.clip(np.minimum(lo, np.arange(n - 1)), 0, n - 1)
    hi = np.clip(np.maximum(hi, np.arange(1, n)), 0, n - 1)
    return lo, hi


def displacement_speed(streams: Streams, distance: FloatArray, window_s: float | None = None) -> FloatArray:
    """Net speed (m/s) around each interval: straight-line displacement over the window / its duration.

    Where positions are missing, the distance covered is used instead.
    """
    time = streams.time
    lo, hi = _windows(time, STOP_WINDOW_S if window_s is None else window_s)
    covered = distance[hi] - distance[lo]
    if streams.has_positions:
        lat, lon = streams.lat, streams.lon
        net = geodesic(lat[lo], lon[lo], lat[hi], lon[hi])
        covered = np.where(np.isfinite(net), np.minimum(net, covered), covered)
    span = time[hi] - time[lo]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(span > 0, covered / span, 0.0)


def windowed_speed(time: FloatArray, distance: FloatArray, window_s: float = SPEED_WINDOW_S) -> FloatArray:
    """Speed (m/s) along the track around each interval, over a window of at least ``window_s``."""
    lo, hi = _windows(time, window_s)
    span = time[hi] - time[lo]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(span > 0, (distance[hi] - distance[lo]) / span, 0.0)
