"""An activity as a GPX 1.1 document: its positioned samples with time and elevation, heart rate and
cadence in Garmin's TrackPointExtension, power in Garmin's PowerExtension. Pure, no I/O.

A run of samples without positions (none recorded, or hidden by a privacy zone) ends a track segment:
the export never draws a line through what it leaves out.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Final
from xml.sax.saxutils import escape

import numpy as np

from athlos.activities.streams import Streams

GPX_NS: Final = "http://www.topografix.com/GPX/1/1"
TPX_NS: Final = "http://www.garmin.com/xmlschemas/TrackPointExtension/v1"
PWR_NS: Final = "http://www.garmin.com/xmlschemas/PowerExtension/v1"
HEADER: Final = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    f'<gpx version="1.1" creator="Athlos" xmlns="{GPX_NS}" xmlns:gpxtpx="{TPX_NS}" xmlns:gpxpx="{PWR_NS}" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    f'xsi:schemaLocation="{GPX_NS} http://www.topografix.com/GPX/1/1/gpx.xsd">\n'
)


def gpx_time(epoch: float) -> str:
    """``2024-05-04T07:30:00Z``, with milliseconds when the sample has them."""
    moment = datetime.fromtimestamp(epoch, UTC)
    if moment.microsecond:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _times(epochs: np.ndarray) -> list[str]:
    """:func:`gpx_time` of many samples at once."""
    stamps = np.datetime_as_string(np.round(epochs * 1000).astype("datetime64[ms]"), unit="ms").tolist()
    return [f"{t[:-4]}Z" if t.endswith(".000") else f"{t}Z" for t in stamps]


def _numbers(values: np.ndarray, pattern: str) -> list[str | None]:
    """Each value formatted by ``pattern`` (``{:.1f}``), ``None`` where nothing was recorded."""
    return [None if v != v else pattern.format(v) for v in values.tolist()]


def _extensions(hr: str | None, cad: str | None, power: str | None) -> str:
    parts = []
    if hr is not None or cad is not None:
        inner = "" if hr is None else f"<gpxtpx:hr>{hr}</gpxtpx:hr>"
        inner += "" if cad is None else f"<gpxtpx:cad>{cad}</gpxtpx:cad>"
        parts.append(f"<gpxtpx:TrackPointExtension>{inner}</gpxtpx:TrackPointExtension>")
    if power is not None:
        parts.append(f"<gpxpx:PowerInWatts>{power}</gpxpx:PowerInWatts>")
    return f"<extensions>{''.join(parts)}</extensions>" if parts else ""


def segments(streams: Streams) -> list[tuple[int, int]]:
    """``[start, end)`` index ranges of consecutive samples that have a position."""
    fixed = np.isfinite(streams.lat) & np.isfinite(streams.lon)
    edges = np.diff(np.concatenate(([0], fixed.astype(np.int8), [0])))
    return list(zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist(), strict=True))


def activity_gpx(*, title: str, description: str, sport: str, start_time: float, streams: Streams) -> bytes:
    """The GPX document of one activity."""
    out = [HEADER]
    out.append(f"<metadata><name>{escape(title)}</name><time>{gpx_time(start_time)}</time></metadata>\n")
    out.append(f"<trk><name>{escape(title)}</name>")
    if description:
        out.append(f"<desc>{escape(description)}</desc>")
    out.append(f"<type>{escape(sport)}</type>\n")
    s = streams
    lat, lon = _numbers(s.lat, "{:.7f}"), _numbers(s.lon, "{:.7f}")
    ele = _numbers(s.altitude, "{:.1f}")
    hr, cad, power = (
        _numbers(s.heart_rate, "{:.0f}"),
        _numbers(s.cadence, "{:.0f}"),
        _numbers(s.power, "{:.0f}"),
    )
    times = _times(s.time)
    for first, end in segments(streams):
        out.append("<trkseg>\n")
        for i in range(first, end):
            elevation = "" if ele[i] is None else f"<ele>{ele[i]}</ele>"
            out.append(
                f'<trkpt lat="{lat[i]}" lon="{lon[i]}">{elevation}<time>{times[i]}</time>'
                f"{_extensions(hr[i], cad[i], power[i])}</trkpt>\n"
            )
        out.append("</trkseg>\n")
    out.append("</trk>\n</gpx>\n")
    return "".join(out).encode()
