"""Which charts an activity's page shows, and their values: elevation, pace or speed (GPS spikes left
out), heart rate, power and cadence when recorded, over distance (or time without one). Swims read
pace per 100 m and leave out elevation. Pure: the page draws them as SVG without JavaScript and hands
the same values to the interactive charts.
"""

from __future__ import annotations

import statistics
import warnings
from dataclasses import dataclass
from typing import Any, Final

import numpy as np

from athlos.activities.display import N_, Units
from athlos.activities.series import Series

SWIMS: Final = frozenset({"pool_swim", "open_water_swim"})
# A speed that far above what the points around it say is a GPS jump, not the athlete.
SPIKE_WINDOW: Final = 7
SPIKE_FACTOR: Final = 3.0


@dataclass(frozen=True, slots=True)
class ChartSeries:
    """One chart: its label and unit (msgids), what its values are (``number`` or ``duration`` in
    seconds), whether lower is better and so drawn higher (pace), and the values at the x positions."""

    key: str
    label: str
    unit: str
    kind: str
    invert: bool
    values: list[float | None]


def pace_unit_m(sport: str, units: Units) -> float:
    """The distance a pace is given for: 100 m for swims, else a kilometre or a mile."""
    return 100.0 if sport in SWIMS else units.distance_unit_m


def pace_unit_label(sport: str, units: Units) -> str:
    if sport in SWIMS:
        return N_("/100 m")
    return N_("/mi") if units.imperial else N_("/km")


def despiked(values: list[float | None]) -> list[float | None]:
    """``values`` with GPS spikes left out: a value more than ``SPIKE_FACTOR`` times the median of
    its neighbours (and above a walking pace's worth) is dropped as a jump of the position."""
    array = np.array([np.nan if v is None else v for v in values], dtype=np.float64)
    if array.size < SPIKE_WINDOW:
        return values
    half = SPIKE_WINDOW // 2
    padded = np.pad(array, half, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, SPIKE_WINDOW)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a window with nothing recorded has no median
        median = np.nanmedian(windows, axis=1)
    spike = np.isfinite(array) & np.isfinite(median) & (array > SPIKE_FACTOR * np.maximum(median, 0.5))
    return [None if spike[i] else v for i, v in enumerate(values)]


def x_axis(values: Series, units: Units) -> tuple[str, list[float | None]]:
    """The charts' x: distance in km or miles when the activity covered one, else minutes."""
    distance = values["distance"] or []
    if distance and (distance[-1] or 0) > 0:
        return "distance", [None if d is None else round(d / units.distance_unit_m, 3) for d in distance]
    return "time", [None if t is None else t for t in values["time"] or []]


def chart_series(values: Series, sport: str, units: Units, pace: bool) -> list[ChartSeries]:
    """The charts the activity has data for, in the order the page shows them."""
    charts: list[ChartSeries] = []
    swim = sport in SWIMS
    if values["altitude"] and not swim:
        factor = 1 / 0.3048 if units.imperial else 1.0
        altitude = [None if a is None else round(a * factor, 1) for a in values["altitude"]]
        charts.append(
            ChartSeries(
                "altitude",
                N_("Elevation"),
                N_("ft") if units.imperial else N_("m"),
                "number",
                False,
                altitude,
            )
        )
    speed = despiked(values["speed"] or [])
    if pace and values["pace"]:
        per_unit = pace_unit_m(sport, units) / 1000
        paces: list[float | None] = [
            None if s is None or p is None else round(p * per_unit, 1)
            for s, p in zip(speed, values["pace"], strict=True)
        ]
        known = [p for p in paces if p is not None]
        if known:
            ceiling = statistics.median(known) * 2.5  # standing still is not a pace worth a scale
            paces = [p if p is not None and p <= ceiling else None for p in paces]
            charts.append(
                ChartSeries("pace", N_("Pace"), pace_unit_label(sport, units), "duration", True, paces)
            )
    elif speed and any(s is not None for s in speed):
        factor = 3600 / units.distance_unit_m
        shown = [None if v is None else round(v * factor, 2) for v in speed]
        charts.append(
            ChartSeries(
                "speed", N_("Speed"), N_("mph") if units.imperial else N_("km/h"), "number", False, shown
            )
        )
    for key, label, unit in (
        ("heart_rate", N_("Heart rate"), N_("bpm")),
        ("power", N_("Power"), N_("W")),
        ("cadence", N_("Cadence"), N_("rpm") if sport in ("ride", "virtual_ride") else N_("spm")),
    ):
        recorded = values[key]
        if recorded and any(v for v in recorded):
            charts.append(ChartSeries(key, label, unit, "number", False, list(recorded)))
    return charts


def chart_document(
    x_kind: str, x: list[float | None], values: Series, charts: list[ChartSeries]
) -> dict[str, Any]:
    """What the interactive charts get: the shared x, positions for the map's marker, each chart."""
    return {
        "x_kind": x_kind,
        "x": x,
        "lat": values["lat"],
        "lon": values["lon"],
        "charts": [{"key": c.key, "kind": c.kind, "invert": c.invert, "values": c.values} for c in charts],
    }
