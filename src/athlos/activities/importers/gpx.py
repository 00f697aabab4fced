"""GPX 1.0/1.1 tracks (Garmin TrackPointExtension, Strava and other extensions), parsed with defusedxml.

The whole file is one activity: its tracks and segments joined in time order. Routes and tracks
without times are refused with ``no_timestamps``; files with only waypoints with ``not_an_activity``.
"""

from __future__ import annotations

from typing import Final
from xml.etree.ElementTree import Element

import numpy as np

from athlos.activities.importers.errors import NO_TIMESTAMPS, NOT_AN_ACTIVITY, ImportRefused
from athlos.activities.importers.gpx_scan import scan_track_points
from athlos.activities.importers.timing import checked_streams
from athlos.activities.importers.xmlsafe import epochs, floats, local, parse_document, text_of
from athlos.activities.streams import FloatArray, ParsedActivity, ParsedFile
from athlos.vocabulary.sports import sport_from_name

FORMAT: Final = "gpx"
# Extension elements (any namespace) that carry a channel, by lower-case local name.
_POINT: Final = "point"
_TIME: Final = "time"
_ALTITUDE: Final = "altitude"
_UNKNOWN: Final = "?"
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


def parse_gpx(data: bytes) -> ParsedFile:
    """Read a GPX document into one activity; raises :class:`ImportRefused` only."""
    read = read_points_from_bytes(data) or read_points_from_tree(data)
    root, ns, tracks, time, columns = read
    warnings: list[str] = []
    streams = checked_streams(time, columns, warnings, "GPX track points")
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


Points = tuple[Element, str, list[Element], FloatArray, dict[str, FloatArray]]


def read_points_from_tree(data: bytes) -> Points:
    """The general reader: the whole document as an element tree, each track's elements in order."""
    root, ns = parse_document(data, "GPX", "gpx")
    tracks = root.findall(f"{ns}trk")
    time: list[str | None] = []
    lat: list[str | None] = []
    lon: list[str | None] = []
    ele: list[str | None] = []
    extensions: dict[str, tuple[list[int], list[str | None]]] = {}
    # One pass over each track's elements, dispatched on the tag: what a tag means is looked up once.
    kinds: dict[str, str | None] = {f"{ns}trkpt": _POINT, f"{ns}ele": _ALTITUDE, f"{ns}time": _TIME}
    for track in tracks:
        for element in track.iter():
            tag = element.tag
            kind = kinds.get(tag, _UNKNOWN)
            if kind is _UNKNOWN:
                kind = kinds[tag] = _EXTENSION_CHANNELS.get(local(tag).lower())
            if kind is None:
                continue
            if kind is _POINT:
                lat.append(element.get("lat"))
                lon.append(element.get("lon"))
                ele.append(None)
                time.append(None)
            elif not time:
                continue  # track-level elements before the first point
            elif kind is _TIME:
                time[-1] = element.text
            elif kind is _ALTITUDE:
                ele[-1] = element.text
            else:
                indices, texts = extensions.setdefault(kind, ([], []))
                indices.append(len(time) - 1)
                texts.append(element.text)
    if not time:
        if root.find(f"{ns}rte/{ns}rtept") is not None:
            raise ImportRefused(NO_TIMESTAMPS, "the GPX file holds a route, which has no times")
        raise ImportRefused(NOT_AN_ACTIVITY, "the GPX file holds no track points")
    n = len(time)
    columns = {"lat": floats(lat), "lon": floats(lon), "altitude": floats(ele)}
    for channel, (index, texts) in extensions.items():
        values = np.full(n, np.nan)
        values[index] = floats(texts)
        columns[channel] = values
    return root, ns, tracks, epochs(time), columns


def read_points_from_bytes(data: bytes) -> Points | None:
    """What :func:`read_points_from_tree` returns, for a plain document read from its bytes; else None."""
    scanned = scan_track_points(data, _EXTENSION_CHANNELS)
    if scanned is None:
        return None
    try:  # everything but the points, for the names and the namespace
        root, ns = parse_document(data[: scanned.first] + data[scanned.end :], "GPX", "gpx")
    except ImportRefused:
        return None
    tracks = root.findall(f"{ns}trk")
    if not tracks:
        return None
    return root, ns, tracks, scanned.time, scanned.columns
