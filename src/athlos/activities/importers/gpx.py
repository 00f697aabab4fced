"""GPX 1.0/1.1 tracks (Garmin TrackPointExtension, Strava and other extensions), parsed with defusedxml.

The whole file is one activity: its tracks and segments joined in time order. Routes and tracks
without times are refused with ``no_timestamps``; files with only waypoints with ``not_an_activity``.
"""

from __future__ import annotations

from typing import Final
from xml.etree.ElementTree import Element

from athlos.activities.importers.errors import NO_TIMESTAMPS, NOT_AN_ACTIVITY, ImportRefused
from athlos.activities.importers.timing import checked_streams
from athlos.activities.importers.xmlsafe import local, parse_document, text_of, to_epoch, to_float
from athlos.activities.sports import sport_from_name
from athlos.activities.streams import ParsedActivity, ParsedFile

FORMAT: Final = "gpx"
# Extension elements (any namespace) that carry a channel, by lower-case local name.
_EXTENSION_CHANNELS: Final = {
    "hr": "heart_rate",
    "heartrate": "heart_rate",
    "cad": "cadence",
    "cadence": "cadence",
    "power": "power",
    "powerinwatts": "power",
    "watts": "power",
    "speed": "speed",
}
_CHANNELS: Final = ("altitude", "heart_rate", "cadence", "power", "speed")


def parse_gpx(data: bytes) -> ParsedFile:
    """Read a GPX document into one activity; raises :class:`ImportRefused` only."""
    root, ns = parse_document(data, "GPX", "gpx")
    tracks = root.findall(f"{ns}trk")
    time: list[float] = []
    lat: list[float] = []
    lon: list[float] = []
    columns: dict[str, list[float]] = {name: [] for name in _CHANNELS}
    ele_tag, time_tag, ext_tag = f"{ns}ele", f"{ns}time", f"{ns}extensions"
    for track in tracks:
        for segment in track.findall(f"{ns}trkseg"):
            for point in segment.findall(f"{ns}trkpt"):
                values = dict.fromkeys(_CHANNELS, float("nan"))
                stamp = float("nan")
                for child in point:
                    tag = child.tag
                    if tag == ele_tag:
                        values["altitude"] = to_float(child.text)
                    elif tag == time_tag:
                        stamp = to_epoch(child.text)
                    elif tag == ext_tag:
                        _read_extensions(child, values)
                time.append(stamp)
                lat.append(to_float(point.get("lat")))
                lon.append(to_float(point.get("lon")))
                for name in _CHANNELS:
                    columns[name].append(values[name])
    if not time:
        if root.find(f"{ns}rte/{ns}rtept") is not None:
            raise ImportRefused(NO_TIMESTAMPS, "the GPX file holds a route, which has no times")
        raise ImportRefused(NOT_AN_ACTIVITY, "the GPX file holds no track points")
    warnings: list[str] = []
    streams = checked_streams(time, {"lat": lat, "lon": lon, **columns}, warnings, "GPX track points")
    first = tracks[0]
    metadata_name = root.find(f"{ns}metadata/{ns}name")
    return ParsedFile(
        file_format=FORMAT,
        activities=[
            ParsedActivity(
                sport=sport_from_name(text_of(first.find(f"{ns}type"))),
                start_time=float(streams.time[0]),
                streams=streams,
                file_format=FORMAT,
                name=text_of(first.find(f"{ns}name"))
                or text_of(metadata_name)
                or text_of(root.find(f"{ns}name")),
                description=text_of(first.find(f"{ns}desc")),
                warnings=warnings,
            )
        ],
    )


def _read_extensions(extensions: Element, values: dict[str, float]) -> None:
    for element in extensions.iter():
        channel = _EXTENSION_CHANNELS.get(local(element.tag).lower())
        if channel is not None:
            values[channel] = to_float(element.text)
