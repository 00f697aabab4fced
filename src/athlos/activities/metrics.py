"""Activity metrics from streams: distance, times, elevation, speed, heart rate, power, splits, efforts.

Pure numpy, no I/O. ``summarize()`` is the entry point; the other public functions each compute one
figure from arrays and can be used on their own (manual entries, live recordings).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any, Final

import numpy as np

from athlos.activities.sports import estimate_calories, get_sport
from athlos.activities.streams import FloatArray, Lap, ParsedActivity, Streams

# WGS84 ellipsoid.
WGS84_A: Final = 6_378_137.0
WGS84_E2: Final = 6.694_379_990_14e-3

PAUSE_GAP_S: Final = 60.0  # a silence longer than this between samples is a pause, whatever the speed
SPEED_WINDOW_S: Final = 5.0  # speeds are measured over at least this long, to damp GPS jitter
STOP_WINDOW_S: Final = 30.0  # standstills are judged on the net displacement over this long
ELEVATION_SMOOTHING_S: Final = 10.0
ELEVATION_HYSTERESIS_M: Final = 2.0
KM: Final = 1000.0
MILE: Final = 1609.344
RUN_EFFORTS_M: Final = {
    "400m": 400.0,
    "1k": 1000.0,
    "1mile": MILE,
    "5k": 5000.0,
    "10k": 10000.0,
    "half_marathon": 21097.5,
    "marathon": 42195.0,
}
POWER_EFFORTS_S: Final = {"5min": 300, "20min": 1200, "60min": 3600}


# --- distance --------------------------------------------------------------------------------------


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
    """Distance (m) covered at each sample, non-decreasing, from positions if there are any.

    Samples without a position carry the distance of the last one with. Without positions the
    recorded distance stream is used (``use_recorded``), else speed × time, else zeros.
    """
    n = len(streams)
    if n == 0:
        return np.zeros(0)
    if streams.has_positions:
        valid = np.isfinite(streams.lat) & np.isfinite(streams.lon)
        idx = np.flatnonzero(valid)
        steps = segment_distances(streams.lat[idx], streams.lon[idx])
        at_valid = np.concatenate(([0.0], np.cumsum(steps)))
        owner = np.maximum(np.cumsum(valid) - 1, 0)
        return at_valid[owner]
    if use_recorded and streams.has("distance"):
        return _forward_fill_monotonic(streams.distance)
    if streams.has("speed"):
        speed = np.nan_to_num(streams.speed)
        dt = np.diff(streams.time)
        dt = np.where(dt > PAUSE_GAP_S, 0.0, dt)
        return np.concatenate(([0.0], np.cumsum(speed[1:] * dt)))
    return np.zeros(n)


def _forward_fill_monotonic(values: FloatArray) -> FloatArray:
    filled = np.where(np.isfinite(values), values, -np.inf)
    filled = np.maximum.accumulate(filled)
    filled[~np.isfinite(filled)] = 0.0
    return filled - filled[0] if filled[0] > 0 else filled


# --- time ---------------------------------------------------------------------------------------


def moving_mask(
    streams: Streams, distance: FloatArray, threshold_mps: float, *, activity_signal: FloatArray | None = None
) -> np.ndarray:
    """Which of the ``n - 1`` intervals between samples count as moving.

    An interval is a pause when the athlete's net displacement over the :data:`STOP_WINDOW_S` around it
    (or over the interval itself, when it is longer) is slower than ``threshold_mps``: net displacement
    rather than path length, so GPS jitter around a standstill does not add up to movement. Devices
    stop recording while their timer is paused, so such gaps end up as pauses; a long gap with real
    progress across it (sparse logging, lost signal) counts as moving. Without any distance, samples
    more than :data:`PAUSE_GAP_S` apart are a pause, and ``activity_signal`` (speed, power or cadence
    per sample) decides for the others; without that, every interval shorter than the gap counts.
    """
    time = streams.time
    n = time.shape[0]
    if n < 2:
        return np.zeros(0, dtype=bool)
    dt = np.diff(time)
    short = (dt > 0) & (dt <= PAUSE_GAP_S)
    if distance[-1] > 0:
        # A long gap with real progress across it is sparse logging or lost signal, not a pause.
        return (dt > 0) & (displacement_speed(streams, distance) >= threshold_mps)
    if activity_signal is not None and np.isfinite(activity_signal).any():
        signal = np.nan_to_num(activity_signal)
        return short & ((signal[1:] > 0) | (signal[:-1] > 0))
    return short


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


# --- elevation ----------------------------------------------------------------------------------


def smooth(time: FloatArray, values: FloatArray, window_s: float) -> FloatArray:
    """Centred moving average over ``window_s`` seconds (irregular sampling allowed)."""
    if values.shape[0] < 3 or window_s <= 0:
        return values.copy()
    csum = np.concatenate(([0.0], np.cumsum(values)))
    lo = np.searchsorted(time, time - window_s / 2.0, side="left")
    hi = np.searchsorted(time, time + window_s / 2.0, side="right")
    return np.asarray((csum[hi] - csum[lo]) / (hi - lo), dtype=np.float64)


def despike(values: FloatArray, width: int = 5) -> FloatArray:
    """Running median over ``width`` samples: removes single-sample glitches (a barometer's -86 m blip)."""
    if values.shape[0] < width:
        return values.copy()
    half = width // 2
    padded = np.pad(values, half, mode="edge")
    return np.asarray(np.median(np.lib.stride_tricks.sliding_window_view(padded, width), axis=1))


def elevation_gain_loss(
    time: FloatArray, altitude: FloatArray, *, hysteresis_m: float | None = None
) -> tuple[float, float]:
    """Total ascent and descent (m): de-spiked and smoothed altitude, counting only swings of
    ``hysteresis_m`` or more.

    The default hysteresis adapts to the noise of the altitude (GPS altitude needs more than a
    barometer): :data:`ELEVATION_HYSTERESIS_M` or three times the sample-to-sample noise, whichever is
    larger.
    """
    valid = np.isfinite(altitude)
    if valid.sum() < 2:
        return 0.0, 0.0
    t, alt = time[valid], despike(altitude[valid])
    smoothed = smooth(t, alt, ELEVATION_SMOOTHING_S)
    if hysteresis_m is None:
        noise = float(np.median(np.abs(alt - smoothed))) * 1.4826 if alt.shape[0] > 10 else 0.0
        hysteresis_m = max(ELEVATION_HYSTERESIS_M, 3.0 * noise)
    return _hysteresis_gain_loss(smoothed, hysteresis_m)


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


# --- heart rate, cadence, power -------------------------------------------------------------------


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


# --- efforts and splits ---------------------------------------------------------------------------


def best_efforts(time: FloatArray, distance: FloatArray) -> dict[str, float]:
    """Fastest elapsed time (s) over each of :data:`RUN_EFFORTS_M` that the activity covered.

    A two-pointer sweep: for every start sample, the end is the first point at which the distance has
    grown by the effort's length (found for all starts at once with one monotone search), the end time
    interpolated within that segment.
    """
    result: dict[str, float] = {}
    if distance.shape[0] < 2:
        return result
    total = float(distance[-1])
    for name, length in RUN_EFFORTS_M.items():
        if length > total:
            break
        starts = np.flatnonzero(distance <= total - length)
        target = distance[starts] + length
        end = np.searchsorted(distance, target, side="left")
        prev = np.maximum(end - 1, 0)
        span = distance[end] - distance[prev]
        with np.errstate(divide="ignore", invalid="ignore"):
            frac = np.where(span > 0, (target - distance[prev]) / span, 1.0)
        end_time = time[prev] + frac * (time[end] - time[prev])
        result[name] = round(float(np.min(end_time - time[starts])), 1)
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
    index = np.searchsorted(x, marks)
    result = []
    for k in range(marks.shape[0] - 1):
        length = float(marks[k + 1] - marks[k])
        moving = float(at_moving[k + 1] - at_moving[k])
        hr = heart_rate[index[k] : index[k + 1] + 1]
        hr = hr[np.isfinite(hr)]
        result.append(
            {
                "index": k + 1,
                "distance_m": round(length, 1),
                "elapsed_time_s": round(float(at_time[k + 1] - at_time[k]), 1),
                "moving_time_s": round(moving, 1),
                "pace_s_per_km": round(moving / length * KM, 1) if length > 0 and moving > 0 else None,
                "elevation_change_m": round(float(at_alt[k + 1] - at_alt[k]), 1)
                if at_alt is not None
                else None,
                "avg_heart_rate": round(float(hr.mean()), 1) if hr.shape[0] else None,
            }
        )
    return result


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
                "elapsed_time_s": _round(lap.elapsed_time_s),
                "timer_time_s": _round(lap.timer_time_s),
                "distance_m": _round(lap.distance_m),
                "computed_distance_m": computed,
                "avg_heart_rate": _round(lap.avg_heart_rate),
                "max_heart_rate": _round(lap.max_heart_rate),
                "calories": _round(lap.calories),
            }
        )
    return result


# --- summary ------------------------------------------------------------------------------------


def iso_utc(epoch_seconds: float) -> str:
    """``2013-08-16T18:05:10Z`` for an epoch time (fractions dropped)."""
    return datetime.fromtimestamp(math.floor(epoch_seconds), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None or not math.isfinite(value) else round(float(value), digits)


def compute(parsed: ParsedActivity, *, weight_kg: float | None = None) -> dict[str, Any]:
    """Every figure computed from the samples alone (recorded totals ignored)."""
    s = parsed.streams
    sport = get_sport(parsed.sport)
    n = len(s)
    distance = cumulative_distance(s)
    signal = next((getattr(s, c) for c in ("speed", "power", "cadence") if s.has(c)), None)
    moving = moving_mask(s, distance, sport.moving_speed_mps, activity_signal=signal)
    dt = np.diff(s.time) if n >= 2 else np.zeros(0)
    moving_time = float(dt[moving].sum())
    moving_seconds = np.concatenate(([0.0], np.cumsum(np.where(moving, dt, 0.0))))
    elapsed = float(s.time[-1] - s.time[0]) if n >= 2 else 0.0
    total = float(distance[-1]) if n else 0.0
    gain, loss = elevation_gain_loss(s.time, s.altitude)
    avg_hr, max_hr = mean_max(s.heart_rate)
    avg_cad, max_cad = mean_max(s.cadence, ignore_zero=True)
    avg_speed = total / moving_time if moving_time > 0 else None
    max_speed = None
    if n >= 2 and total > 0:
        max_speed = float(windowed_speed(s.time, distance).max())
    per_second = power_per_second(s.time, s.power) if s.has("power") else np.zeros(0)
    return {
        "distance_m": round(total, 1),
        "elapsed_time_s": round(elapsed, 1),
        "moving_time_s": round(moving_time, 1),
        "elevation_gain_m": round(gain, 1),
        "elevation_loss_m": round(loss, 1),
        "avg_speed_mps": _round(avg_speed, 3),
        "max_speed_mps": _round(max_speed, 3),
        "avg_pace_s_per_km": _round(KM / avg_speed if avg_speed else None),
        "avg_heart_rate": _round(avg_hr),
        "max_heart_rate": _round(max_hr),
        "avg_cadence": _round(avg_cad),
        "max_cadence": _round(max_cad),
        "avg_power": _round(float(per_second.mean()) if per_second.shape[0] else None),
        "normalized_power": _round(normalized_power(per_second)),
        "calories": round(estimate_calories(sport.id, weight_kg, moving_time)),
        "_distance": distance,
        "_moving_seconds": moving_seconds,
        "_per_second_power": per_second,
    }


def summarize(
    parsed: ParsedActivity, from_points: bool = False, *, weight_kg: float | None = None
) -> dict[str, Any]:
    """The activity's summary, JSON-ready.

    With ``from_points`` false and a device session in the file, the headline figures are the device's
    (``source: "device"``) and the computed ones stay under ``computed``; otherwise everything is
    computed from the samples (``source: "computed"``). Calories without a device figure are estimated
    from the sport's MET, ``weight_kg`` (70 kg when unknown) and the moving time.
    """
    s = parsed.streams
    sport = get_sport(parsed.sport)
    computed = compute(parsed, weight_kg=weight_kg)
    distance: FloatArray = computed.pop("_distance")
    moving_seconds: FloatArray = computed.pop("_moving_seconds")
    per_second: FloatArray = computed.pop("_per_second_power")
    headline = dict(computed)
    device = parsed.device
    use_device = device is not None and not from_points
    if device is not None and use_device:
        recorded = {
            "distance_m": device.distance_m,
            "elapsed_time_s": device.elapsed_time_s,
            "moving_time_s": device.timer_time_s,
            "elevation_gain_m": device.ascent_m,
            "elevation_loss_m": device.descent_m,
            "avg_heart_rate": device.avg_heart_rate,
            "max_heart_rate": device.max_heart_rate,
            "calories": device.calories,
            "avg_power": device.avg_power,
            "normalized_power": device.normalized_power,
            "max_speed_mps": device.max_speed_mps,
        }
        for key, value in recorded.items():
            if value is not None and math.isfinite(value):
                headline[key] = round(value) if key == "calories" else round(value, 1)
        if headline["distance_m"] and headline["moving_time_s"]:
            speed = headline["distance_m"] / headline["moving_time_s"]
            headline["avg_speed_mps"] = round(speed, 3)
            headline["avg_pace_s_per_km"] = round(KM / speed, 1) if speed > 0 else None
    warnings = list(parsed.warnings)
    if (
        device is not None
        and device.elapsed_time_s
        and computed["elapsed_time_s"] < 0.9 * device.elapsed_time_s
    ):
        covered = computed["elapsed_time_s"] / device.elapsed_time_s
        warnings.append(f"the samples cover only {covered:.0%} of the time the device recorded")
    efforts: dict[str, Any] = {}
    if sport.run_best_efforts:
        efforts.update(best_efforts(s.time, distance))
    if sport.power_best_efforts and per_second.shape[0]:
        efforts.update({f"power_{k}": v for k, v in best_power(per_second).items()})
    return {
        "sport": parsed.sport,
        "start_time": iso_utc(parsed.start_time),
        **{k: headline[k] for k in _HEADLINE_KEYS},
        "points": len(s),
        "source": "device" if use_device else "computed",
        "warnings": warnings,
        "name": parsed.name,
        "description": parsed.description,
        "file_format": parsed.file_format,
        "display": sport.display,
        **{k: headline[k] for k in headline if k not in _HEADLINE_KEYS},
        "computed": computed,
        "splits": {
            "km": splits(s.time, distance, moving_seconds, s.altitude, s.heart_rate, KM),
            "mile": splits(s.time, distance, moving_seconds, s.altitude, s.heart_rate, MILE),
        },
        "laps": lap_summaries(parsed.laps, s.time, distance),
        "best_efforts": efforts,
        **start_point(s.lat, s.lon),
    }


def start_point(lat: FloatArray, lon: FloatArray) -> dict[str, float | None]:
    """Where the activity started, coarsened to about 100 m: enough for a region, not for a door."""
    fixed = np.flatnonzero(np.isfinite(lat) & np.isfinite(lon))
    if not fixed.size:
        return {"start_lat": None, "start_lon": None}
    first = fixed[0]
    return {"start_lat": round(float(lat[first]), 3), "start_lon": round(float(lon[first]), 3)}


_HEADLINE_KEYS: Final = (
    "distance_m",
    "elapsed_time_s",
    "moving_time_s",
    "elevation_gain_m",
    "elevation_loss_m",
    "avg_heart_rate",
    "max_heart_rate",
    "calories",
)
