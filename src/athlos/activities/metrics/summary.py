"""The activity's summary: every figure at once, and the device's own totals where it recorded them."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any, Final

import numpy as np

from athlos.activities.metrics.efforts import best_efforts, lap_summaries, splits
from athlos.activities.metrics.elevation import elevation_gain_loss
from athlos.activities.metrics.intensity import best_power, mean_max, normalized_power, power_per_second
from athlos.activities.metrics.json_ready import iso_utc, rounded
from athlos.activities.metrics.legs import leg_figures, with_leg_totals
from athlos.activities.metrics.motion import KM, MILE, distance_while_moving, recording_breaks, windowed_speed
from athlos.activities.streams import FloatArray, ParsedActivity, leg_activities
from athlos.vocabulary.sports import TRANSITION, estimate_calories, get_sport


def compute(parsed: ParsedActivity, *, weight_kg: float | None = None) -> dict[str, Any]:
    """Every figure computed from the samples alone (recorded totals ignored)."""
    s = parsed.streams
    sport = get_sport(parsed.sport)
    n = len(s)
    distance, moving = distance_while_moving(s, sport.moving_speed_mps)
    if parsed.sport == TRANSITION:
        # A multisport watch keeps the race clock running through a transition: time spent at the
        # rack is race time, never a stop.
        moving = np.ones_like(moving)
    dt = np.diff(s.time) if n >= 2 else np.zeros(0)
    moving_time = float(dt[moving].sum())
    moving_seconds = np.concatenate(([0.0], np.cumsum(np.where(moving, dt, 0.0))))
    elapsed = float(s.time[-1] - s.time[0]) if n >= 2 else 0.0
    total = float(distance[-1]) if n else 0.0
    avg_speed = total / moving_time if moving_time > 0 else None
    paused = ~moving & recording_breaks(s.time) if n >= 2 else None
    gain, loss = elevation_gain_loss(s.time, s.altitude, pace_mps=avg_speed, paused=paused)
    avg_hr, max_hr = mean_max(s.heart_rate)
    avg_cad, max_cad = mean_max(s.cadence, ignore_zero=True)
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
        "avg_speed_mps": rounded(avg_speed, 3),
        "max_speed_mps": rounded(max_speed, 3),
        "avg_pace_s_per_km": rounded(KM / avg_speed if avg_speed else None),
        "avg_heart_rate": rounded(avg_hr),
        "max_heart_rate": rounded(max_hr),
        "avg_cadence": rounded(avg_cad),
        "max_cadence": rounded(max_cad),
        "avg_power": rounded(float(per_second.mean()) if per_second.shape[0] else None),
        "normalized_power": rounded(normalized_power(per_second)),
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
    from the sport's MET, ``weight_kg`` (70 kg when unknown) and the moving time. A multisport
    activity's legs are summarized each on its own, and its totals are their sums.
    """
    if parsed.legs:
        return _multisport_summary(parsed, from_points, weight_kg)
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


def _multisport_summary(parsed: ParsedActivity, from_points: bool, weight_kg: float | None) -> dict[str, Any]:
    whole = summarize(replace(parsed, legs=[], device=None), from_points=True, weight_kg=weight_kg)
    legs, leg_computed, warnings = [], [], list(whole["warnings"])
    for leg, alone in zip(parsed.legs, leg_activities(parsed), strict=True):
        summary = summarize(alone, from_points, weight_kg=weight_kg)
        legs.append(leg_figures(summary, leg.sport, leg.first_sample, leg.end_sample))
        leg_computed.append(summary["computed"])
        warnings.extend(w for w in summary["warnings"] if w not in warnings)
    return {**with_leg_totals(whole, legs, leg_computed), "warnings": warnings}


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
