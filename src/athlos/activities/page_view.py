"""What the activity page shows, computed from the activity and the streams its viewer may see:
headline figures, the map's track, charts, splits, laps, best efforts and device vs computed totals.

Figures are formatted in the viewer's units and language; labels stay English msgids that the
template translates.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass, field
from typing import Any, Final

from athlos.activities.charts import Chart, line_chart
from athlos.activities.display import EFFORT_LABELS, N_, Units, duration
from athlos.activities.models import Activity
from athlos.activities.series import series
from athlos.activities.sports import get_sport
from athlos.activities.streams import Streams

MAP_POINTS: Final = 1500
CHART_POINTS: Final = 600
# Device totals shown beside the computed ones: (label, summary key, kind of figure).
COMPARED: Final = (
    (N_("Distance"), "distance_m", "distance"),
    (N_("Moving time"), "moving_time_s", "duration"),
    (N_("Elapsed time"), "elapsed_time_s", "duration"),
    (N_("Elevation gain"), "elevation_gain_m", "elevation"),
    (N_("Average heart rate"), "avg_heart_rate", "number"),
    (N_("Max heart rate"), "max_heart_rate", "number"),
    (N_("Calories"), "calories", "number"),
)


@dataclass(slots=True)
class PageView:
    units: Units
    pace: bool
    stats: list[tuple[str, str, str]] = field(default_factory=list)
    track_json: str = '{"segments": []}'
    has_track: bool = False
    charts: list[tuple[str, str, Chart]] = field(default_factory=list)
    splits: list[dict[str, Any]] = field(default_factory=list)
    laps: list[dict[str, Any]] = field(default_factory=list)
    efforts: list[tuple[str, str]] = field(default_factory=list)
    compared: list[tuple[str, str | None, str | None]] = field(default_factory=list)


def _figure(units: Units, kind: str, value: float | None) -> str | None:
    if value is None:
        return None
    if kind == "distance":
        return units.distance(value)
    if kind == "duration":
        return duration(value)
    if kind == "elevation":
        return units.elevation(value)
    return units.number(value)


def _stats(activity: Activity, units: Units, pace: bool) -> list[tuple[str, str, str]]:
    """(label, value, unit) of the headline figures the activity has."""
    summary = activity.summary or {}
    distance_unit = N_("mi") if units.imperial else N_("km")
    speed = summary.get("avg_speed_mps")
    if speed is None and activity.distance_m and activity.moving_time_s:
        speed = activity.distance_m / activity.moving_time_s
    rows = [
        (N_("Distance"), units.distance(activity.distance_m), distance_unit),
        (N_("Moving time"), duration(activity.moving_time_s), ""),
        (N_("Elapsed time"), duration(activity.elapsed_time_s), ""),
        (
            (
                N_("Pace"),
                units.pace(1000 / speed if speed else None),
                N_("/mi") if units.imperial else N_("/km"),
            )
            if pace
            else (N_("Speed"), units.speed(speed), N_("mph") if units.imperial else N_("km/h"))
        ),
        (
            N_("Elevation gain"),
            units.elevation(activity.elevation_gain_m),
            N_("ft") if units.imperial else N_("m"),
        ),
        (N_("Average heart rate"), _figure(units, "number", activity.avg_heart_rate), N_("bpm")),
        (N_("Max heart rate"), _figure(units, "number", activity.max_heart_rate), N_("bpm")),
        (N_("Average power"), _figure(units, "number", summary.get("avg_power")), N_("W")),
        (N_("Calories"), _figure(units, "number", activity.calories), N_("kcal")),
    ]
    return [(label, value, unit) for label, value, unit in rows if value is not None]


def _track(values: dict[str, Any]) -> list[list[list[float]]]:
    """The visible positions as polyline segments of ``[lat, lon]`` (a hidden stretch ends one)."""
    segments: list[list[list[float]]] = [[]]
    for lat, lon in zip(values["lat"] or [], values["lon"] or [], strict=True):
        if lat is None or lon is None:
            if segments[-1]:
                segments.append([])
            continue
        segments[-1].append([lat, lon])
    return [segment for segment in segments if len(segment) >= 2]


def _charts(values: dict[str, Any], units: Units, pace: bool) -> list[tuple[str, str, Chart]]:
    distance = values["distance"] or []
    if distance and (distance[-1] or 0) > 0:
        x: list[float | None] = [None if d is None else d / units.distance_unit_m for d in distance]
    else:
        x = [None if t is None else t / 60 for t in values["time"]]
    charts: list[tuple[str, str, Chart]] = []
    if values["altitude"]:
        factor = 1 / 0.3048 if units.imperial else 1.0
        altitude = [None if a is None else a * factor for a in values["altitude"]]
        chart = line_chart(x, altitude)
        if chart:
            charts.append((N_("Elevation"), N_("ft") if units.imperial else N_("m"), chart))
    if pace and values["pace"]:
        per_unit = units.distance_unit_m / 1000
        paces = [None if p is None else p * per_unit for p in values["pace"]]
        known = [p for p in paces if p is not None]
        if known:
            ceiling = statistics.median(known) * 2.5  # standing still is not a pace worth a scale
            paces = [p if p is not None and p <= ceiling else None for p in paces]
        chart = line_chart(x, paces, invert=True, y_label=lambda v: duration(v) or "")
        if chart:
            charts.append((N_("Pace"), N_("/mi") if units.imperial else N_("/km"), chart))
    elif values["speed"]:
        factor = 3600 / units.distance_unit_m
        chart = line_chart(x, [None if v is None else v * factor for v in values["speed"]])
        if chart:
            charts.append((N_("Speed"), N_("mph") if units.imperial else N_("km/h"), chart))
    if values["heart_rate"]:
        chart = line_chart(x, values["heart_rate"])
        if chart:
            charts.append((N_("Heart rate"), N_("bpm"), chart))
    return charts


def _splits(activity: Activity, units: Units, pace: bool) -> list[dict[str, Any]]:
    rows = []
    for split in (activity.summary.get("splits") or {}).get(units.split_key) or []:
        seconds_per_km = split.get("pace_s_per_km")
        rows.append(
            {
                "index": split["index"],
                "distance": units.distance(split["distance_m"]),
                "time": duration(split.get("moving_time_s")),
                "pace": units.pace(seconds_per_km)
                if pace
                else units.speed(1000 / seconds_per_km if seconds_per_km else None),
                "elevation": units.elevation(split.get("elevation_change_m")),
                "heart_rate": _figure(units, "number", split.get("avg_heart_rate")),
            }
        )
    return rows


def _laps(activity: Activity, units: Units) -> list[dict[str, Any]]:
    return [
        {
            "index": lap["index"],
            "distance": units.distance(lap.get("distance_m") or lap.get("computed_distance_m")),
            "time": duration(lap.get("timer_time_s") or lap.get("elapsed_time_s")),
            "heart_rate": _figure(units, "number", lap.get("avg_heart_rate")),
        }
        for lap in activity.summary.get("laps") or []
    ]


def _efforts(activity: Activity, units: Units) -> list[tuple[str, str]]:
    rows = []
    for key, value in (activity.summary.get("best_efforts") or {}).items():
        if key not in EFFORT_LABELS or value is None:
            continue
        shown = f"{units.number(value)} W" if key.startswith("power_") else duration(value)
        rows.append((EFFORT_LABELS[key], shown or ""))
    return rows


def _compared(activity: Activity, units: Units) -> list[tuple[str, str | None, str | None]]:
    summary = activity.summary or {}
    computed = summary.get("computed") or {}
    if summary.get("source") != "device" or not computed:
        return []
    return [
        (label, _figure(units, kind, summary.get(key)), _figure(units, kind, computed.get(key)))
        for label, key, kind in COMPARED
        if summary.get(key) is not None or computed.get(key) is not None
    ]


def page_view(activity: Activity, full: Streams, shown: Streams, units: Units) -> PageView:
    """Everything the page shows; ``shown`` are the samples the viewer may see (CPU work: call it off
    the event loop)."""
    pace = get_sport(activity.sport).display == "pace"
    view = PageView(units=units, pace=pace)
    view.stats = _stats(activity, units, pace)
    if len(shown):
        values = series(full, shown, activity.sport, MAP_POINTS)
        segments = _track(values)
        view.track_json = json.dumps({"segments": segments}, separators=(",", ":"))
        view.has_track = bool(segments)
        step = -(-len(values["time"] or []) // CHART_POINTS)  # every step-th sample: enough for a chart
        view.charts = _charts({k: v[::step] if v else v for k, v in values.items()}, units, pace)
    view.splits = _splits(activity, units, pace)
    view.laps = _laps(activity, units)
    view.efforts = _efforts(activity, units)
    view.compared = _compared(activity, units)
    return view
