"""What the activity page shows, computed from the activity and the streams its viewer may see:
headline figures, the map's track, charts, a multisport activity's legs, splits, laps, best efforts and
device vs computed totals.

Figures are formatted in the viewer's units and language; labels stay English msgids that the
template translates.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Final

from athlos.activities.chart_series import (
    SWIMS,
    ChartSeries,
    chart_document,
    chart_series,
    pace_unit_label,
    pace_unit_m,
    x_axis,
)
from athlos.activities.charts import Chart, line_chart
from athlos.activities.display import EFFORT_LABELS, N_, Units, duration
from athlos.activities.models import Activity, Leg
from athlos.activities.series import Series, series
from athlos.activities.streams import Streams
from athlos.vocabulary.sports import SPORT_LABELS, TRANSITION, TRANSITION_LABEL, get_sport

ChartView = tuple[str, str, Chart]  # label, unit (msgids) and the SVG geometry
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
    swim: bool = False
    stats: list[tuple[str, str, str]] = field(default_factory=list)
    track_json: str = '{"segments": []}'
    has_track: bool = False
    charts: list[ChartView] = field(default_factory=list)
    charts_json: str = '{"charts": []}'
    x_kind: str = "time"
    legs: list[dict[str, Any]] = field(default_factory=list)
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
                duration(pace_unit_m(activity.sport, units) / speed if speed else None),
                pace_unit_label(activity.sport, units),
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


def _charts(values: Series, sport: str, units: Units, pace: bool) -> tuple[list[ChartView], str]:
    """The SVG charts (drawn without JavaScript) and the JSON of the same for the interactive ones."""
    x_kind, x = x_axis(values, units)
    x_shown = x if x_kind == "distance" else [None if t is None else t / 60 for t in x]
    views: list[ChartView] = []
    kept: list[ChartSeries] = []
    for chart in chart_series(values, sport, units, pace):
        label = (lambda v: duration(v) or "") if chart.kind == "duration" else None
        drawn = line_chart(
            x_shown, chart.values, invert=chart.invert, **({"y_label": label} if label else {})
        )
        if drawn:
            views.append((chart.label, chart.unit, drawn))
            kept.append(chart)
    document = chart_document(x_kind, x, values, kept)
    return views, json.dumps(document, separators=(",", ":"))


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


def _laps(activity: Activity, units: Units, pace: bool) -> list[dict[str, Any]]:
    """The laps; a swim's rests (laps with no distance) are left out, its laps read in metres."""
    swim = activity.sport in SWIMS
    rows = []
    for lap in activity.summary.get("laps") or []:
        metres = lap.get("distance_m") or lap.get("computed_distance_m")
        seconds = lap.get("timer_time_s") or lap.get("elapsed_time_s")
        if swim and not metres:
            continue
        per_unit = pace_unit_m(activity.sport, units)
        rows.append(
            {
                "index": lap["index"],
                "distance": units.number(metres) if swim and metres else units.distance(metres),
                "time": duration(seconds),
                "pace": duration(seconds * per_unit / metres) if pace and metres and seconds else None,
                "heart_rate": _figure(units, "number", lap.get("avg_heart_rate")),
            }
        )
    return rows


def _legs(legs: list[Leg], units: Units) -> list[dict[str, Any]]:
    """The legs in order: sport, distance, time and the pace or speed its sport reads in (none for a
    transition); labels and units are msgids."""
    rows = []
    for leg in legs:
        transition = leg.sport == TRANSITION
        seconds = leg.moving_time_s or leg.elapsed_time_s
        speed = leg.distance_m / seconds if leg.distance_m and seconds else None
        pace_or_speed, unit = None, ""
        if speed and not transition and get_sport(leg.sport).display == "pace":
            pace_or_speed = duration(pace_unit_m(leg.sport, units) / speed)
            unit = pace_unit_label(leg.sport, units)
        elif speed and not transition:
            pace_or_speed, unit = units.speed(speed), N_("mph") if units.imperial else N_("km/h")
        rows.append(
            {
                "sport": leg.sport,
                "label": TRANSITION_LABEL
                if transition
                else SPORT_LABELS.get(leg.sport, SPORT_LABELS["other"]),
                "transition": transition,
                "distance": units.distance(leg.distance_m),
                "time": duration(leg.elapsed_time_s),
                "moving_time": duration(leg.moving_time_s),
                "pace_or_speed": pace_or_speed,
                "unit": unit,
                "elevation": units.elevation(leg.elevation_gain_m),
            }
        )
    return rows


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


def page_view(
    activity: Activity, full: Streams, shown: Streams, units: Units, legs: list[Leg] | None = None
) -> PageView:
    """Everything the page shows; ``shown`` are the samples the viewer may see, ``legs`` a multisport
    activity's (CPU work: call it off the event loop)."""
    pace = get_sport(activity.sport).display == "pace"
    view = PageView(units=units, pace=pace, swim=activity.sport in SWIMS)
    view.stats = _stats(activity, units, pace)
    if len(shown):
        values = series(full, shown, activity.sport, MAP_POINTS)
        segments = _track(values)
        view.track_json = json.dumps({"segments": segments}, separators=(",", ":"))
        view.has_track = bool(segments)
        step = -(-len(values["time"] or []) // CHART_POINTS)  # every step-th sample: enough for a chart
        thinned: Series = {k: v[::step] if v else v for k, v in values.items()}
        view.charts, view.charts_json = _charts(thinned, activity.sport, units, pace)
        view.x_kind = "distance" if thinned["distance"] and (thinned["distance"][-1] or 0) > 0 else "time"
    view.legs = _legs(legs or [], units)
    view.splits = [] if activity.sport in SWIMS else _splits(activity, units, pace)
    view.laps = _laps(activity, units, pace)
    view.efforts = _efforts(activity, units)
    view.compared = _compared(activity, units)
    return view
