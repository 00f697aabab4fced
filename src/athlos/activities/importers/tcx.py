"""TCX (Garmin Training Center, also Google Fit Takeout) activities, parsed with defusedxml.

Each ``<Activity>`` becomes an activity; its ``<Lap>`` totals are what the device recorded.
"""

from __future__ import annotations

import math
from typing import Final
from xml.etree.ElementTree import Element

from athlos.activities.importers.errors import NOT_AN_ACTIVITY, ImportRefused
from athlos.activities.importers.timing import checked_streams
from athlos.activities.importers.xmlsafe import local, parse_document, text_of, to_epoch, to_float
from athlos.activities.streams import DeviceTotals, Lap, ParsedActivity, ParsedFile
from athlos.vocabulary.sports import sport_from_name

FORMAT: Final = "tcx"
_EXTENSION_CHANNELS: Final = {"speed": "speed", "watts": "power", "runcadence": "cadence"}
_CHANNELS: Final = ("lat", "lon", "altitude", "distance", "heart_rate", "cadence", "power", "speed")


def parse_tcx(data: bytes) -> ParsedFile:
    """Read a TCX document into its activities; raises :class:`ImportRefused` only."""
    root, ns = parse_document(data, "TCX", "TrainingCenterDatabase")
    elements = root.findall(f"{ns}Activities/{ns}Activity")
    if not elements:
        what = "a course" if root.find(f"{ns}Courses") is not None else "no activity"
        raise ImportRefused(NOT_AN_ACTIVITY, f"the TCX file holds {what}")
    activities = [_activity(element, ns) for element in elements]
    return ParsedFile(file_format=FORMAT, activities=activities)


def _activity(element: Element, ns: str) -> ParsedActivity:
    time: list[float] = []
    columns: dict[str, list[float]] = {name: [] for name in _CHANNELS}
    tags = {
        f"{ns}Time": "time",
        f"{ns}Position": "position",
        f"{ns}AltitudeMeters": "altitude",
        f"{ns}DistanceMeters": "distance",
        f"{ns}HeartRateBpm": "heart_rate",
        f"{ns}Cadence": "cadence",
        f"{ns}Extensions": "extensions",
    }
    laps: list[Lap] = []
    for lap_element in element.findall(f"{ns}Lap"):
        laps.append(_lap(lap_element, ns))
        for point in lap_element.iterfind(f"{ns}Track/{ns}Trackpoint"):
            values = dict.fromkeys(_CHANNELS, math.nan)
            stamp = math.nan
            for child in point:
                kind = tags.get(child.tag)
                if kind == "time":
                    stamp = to_epoch(child.text)
                elif kind == "position":
                    values["lat"] = to_float(text_of(child.find(f"{ns}LatitudeDegrees")))
                    values["lon"] = to_float(text_of(child.find(f"{ns}LongitudeDegrees")))
                elif kind == "heart_rate":
                    values["heart_rate"] = to_float(text_of(child.find(f"{ns}Value")))
                elif kind == "extensions":
                    for ext in child.iter():
                        channel = _EXTENSION_CHANNELS.get(local(ext.tag).lower())
                        if channel is not None:
                            values[channel] = to_float(ext.text)
                elif kind is not None:
                    values[kind] = to_float(child.text)
            time.append(stamp)
            for name in _CHANNELS:
                columns[name].append(values[name])
    warnings: list[str] = []
    streams = checked_streams(time, columns, warnings, "TCX track points")
    start = to_epoch(text_of(element.find(f"{ns}Id")))
    if not math.isfinite(start):
        start = laps[0].start_time if laps and math.isfinite(laps[0].start_time) else float(streams.time[0])
    return ParsedActivity(
        sport=sport_from_name(element.get("Sport")),
        start_time=start,
        streams=streams,
        file_format=FORMAT,
        laps=laps,
        device=_lap_totals(laps, start),
        description=text_of(element.find(f"{ns}Notes")),
        warnings=warnings,
    )


def _lap(element: Element, ns: str) -> Lap:
    def number(path: str) -> float | None:
        value = to_float(text_of(element.find(path)))
        return value if math.isfinite(value) else None

    timer = number(f"{ns}TotalTimeSeconds")
    return Lap(
        start_time=to_epoch(element.get("StartTime")),
        timer_time_s=timer,
        distance_m=number(f"{ns}DistanceMeters"),
        calories=number(f"{ns}Calories"),
        avg_heart_rate=number(f"{ns}AverageHeartRateBpm/{ns}Value"),
        max_heart_rate=number(f"{ns}MaximumHeartRateBpm/{ns}Value"),
    )


def _lap_totals(laps: list[Lap], start: float) -> DeviceTotals | None:
    """The device's totals as the sum of its laps, when every lap has a time and a distance."""
    if not laps or any(lap.timer_time_s is None or lap.distance_m is None for lap in laps):
        return None
    timer = sum(lap.timer_time_s or 0.0 for lap in laps)
    hr_laps = [lap for lap in laps if lap.avg_heart_rate is not None and lap.timer_time_s]
    hr_time = sum(lap.timer_time_s or 0.0 for lap in hr_laps)
    last = laps[-1]
    elapsed = None
    if math.isfinite(last.start_time) and math.isfinite(start):
        elapsed = last.start_time + (last.timer_time_s or 0.0) - start
    max_hrs = [lap.max_heart_rate for lap in laps if lap.max_heart_rate is not None]
    calories = [lap.calories for lap in laps if lap.calories is not None]
    return DeviceTotals(
        distance_m=sum(lap.distance_m or 0.0 for lap in laps),
        timer_time_s=timer,
        elapsed_time_s=elapsed if elapsed is not None and elapsed >= timer else timer,
        avg_heart_rate=(
            sum((lap.avg_heart_rate or 0.0) * (lap.timer_time_s or 0.0) for lap in hr_laps) / hr_time
            if hr_time
            else None
        ),
        max_heart_rate=max(max_hrs) if max_hrs else None,
        calories=sum(calories) if calories else None,
    )
