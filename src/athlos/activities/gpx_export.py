"""An activity as a GPX 1.1 document: its positioned samples with time and elevation, heart rate and
cadence in Garmin's TrackPointExtension, power in Garmin's PowerExtension. Pure, no I/O.

A run of samples without positions (none recorded, or hidden by a privacy zone) ends a track segment:
the export never draws a line through what it leaves out.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Final
from xml.sax.saxutils import escape, quoteattr

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


def _extensions(hr: float, cad: float, power: float) -> str:
    parts = []
    if math.isfinite(hr) or math.isfinite(cad):
        inner = ""
        if math.isfinite(hr):
            inner += f"<gpxtpx:hr>{round(hr)}</gpxtpx:hr>"
        if math.isfinite(cad):
            inner += f"<gpxtpx:cad>{round(cad)}</gpxtpx:cad>"
        parts.append(f"<gpxtpx:TrackPointExtension>{inner}</gpxtpx:TrackPointExtension>")
    if math.isfinite(power):
        parts.append(f"<gpxpx:PowerInWatts>{round(power)}</gpxpx:PowerInWatts>")
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
    lat, lon, ele, time = s.lat.tolist(), s.lon.tolist(), s.altitude.tolist(), s.time.tolist()
    hr, cad, power = s.heart_rate.tolist(), s.cadence.tolist(), s.power.tolist()
    for first, end in segments(streams):
        out.append("<trkseg>\n")
        for i in range(first, end):
            point = f"<trkpt lat={quoteattr(f'{lat[i]:.7f}')} lon={quoteattr(f'{lon[i]:.7f}')}>"
            if math.isfinite(ele[i]):
                point += f"<ele>{ele[i]:.1f}</ele>"
            point += f"<time>{gpx_time(time[i])}</time>{_extensions(hr[i], cad[i], power[i])}</trkpt>\n"
            out.append(point)
        out.append("</trkseg>\n")
    out.append("</trk>\n</gpx>\n")
    return "".join(out).encode()
