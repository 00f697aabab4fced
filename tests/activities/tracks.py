"""Synthetic tracks for the activities tests: GPX, TCX and minimal FIT files built in memory."""

from __future__ import annotations

import math
import struct
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from athlos.activities.streams import Streams

SHARED_TRACKS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "tracks"
T0 = datetime(2024, 5, 4, 7, 30, tzinfo=UTC).timestamp()
METRES_PER_DEGREE_LAT = 111_132.0  # near 45° N; tests compare with our own geodesic, not this


def shared_files(*patterns: str) -> list[Path]:
    files = sorted(p for pattern in patterns for p in SHARED_TRACKS.glob(pattern))
    return files


def iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S") + "Z"


def line_track(
    speeds: Sequence[float], *, lat0: float = 45.0, lon0: float = 14.0, step_s: float = 1.0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Times, latitudes and longitudes of a northward walk at the given speed per interval (m/s)."""
    time = T0 + np.arange(len(speeds) + 1) * step_s
    north = np.concatenate(([0.0], np.cumsum(np.asarray(speeds) * step_s)))
    return time, lat0 + north / METRES_PER_DEGREE_LAT, np.full(time.shape, lon0)


def gpx_document(
    time: Sequence[float],
    lat: Sequence[float],
    lon: Sequence[float],
    *,
    altitude: Sequence[float] | None = None,
    heart_rate: Sequence[float] | None = None,
    sport: str | None = "running",
    name: str = "Morning run",
) -> bytes:
    """A GPX 1.1 document with one track (Garmin TrackPointExtension heart rate)."""
    points = []
    for i, (t, la, lo) in enumerate(zip(time, lat, lon, strict=True)):
        ele = f"<ele>{altitude[i]:.2f}</ele>" if altitude is not None and math.isfinite(altitude[i]) else ""
        stamp = f"<time>{iso(t)}</time>" if math.isfinite(t) else ""
        ext = ""
        if heart_rate is not None and math.isfinite(heart_rate[i]):
            ext = (
                "<extensions><gpxtpx:TrackPointExtension>"
                f"<gpxtpx:hr>{int(heart_rate[i])}</gpxtpx:hr>"
                "</gpxtpx:TrackPointExtension></extensions>"
            )
        points.append(f'<trkpt lat="{la:.7f}" lon="{lo:.7f}">{ele}{stamp}{ext}</trkpt>')
    kind = f"<type>{sport}</type>" if sport else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="athlos-tests" xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        f"<trk><name>{name}</name>{kind}<trkseg>{''.join(points)}</trkseg></trk></gpx>"
    ).encode()


def gpx_from_streams(streams: Streams, sport: str | None = None) -> bytes:
    """A GPX file holding what a GPX can of the streams: positioned samples with time, ele, hr."""
    keep = np.isfinite(streams.lat) & np.isfinite(streams.lon)
    s = streams.select(keep)
    return gpx_document(
        s.time.tolist(), s.lat.tolist(), s.lon.tolist(),
        altitude=s.altitude.tolist(), heart_rate=s.heart_rate.tolist(), sport=sport,
    )  # fmt: skip


def tcx_document(laps: Sequence[Sequence[tuple[float, float, float, float]]], sport: str = "Biking") -> bytes:
    """A TCX activity; each lap is a list of (time, lat, lon, heart_rate) points."""
    xml_laps = []
    for lap in laps:
        seconds = lap[-1][0] - lap[0][0]
        points = "".join(
            f"<Trackpoint><Time>{iso(t)}</Time><Position><LatitudeDegrees>{la}</LatitudeDegrees>"
            f"<LongitudeDegrees>{lo}</LongitudeDegrees></Position>"
            f"<HeartRateBpm><Value>{int(hr)}</Value></HeartRateBpm></Trackpoint>"
            for t, la, lo, hr in lap
        )
        xml_laps.append(
            f'<Lap StartTime="{iso(lap[0][0])}"><TotalTimeSeconds>{seconds}</TotalTimeSeconds>'
            f"<DistanceMeters>1000.0</DistanceMeters><Calories>50</Calories>"
            f"<AverageHeartRateBpm><Value>140</Value></AverageHeartRateBpm>"
            f"<MaximumHeartRateBpm><Value>150</Value></MaximumHeartRateBpm>"
            f"<Track>{points}</Track></Lap>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
        f'<Activities><Activity Sport="{sport}"><Id>{iso(laps[0][0][0])}</Id>'
        f"{''.join(xml_laps)}<Notes>Lunch ride</Notes></Activity></Activities></TrainingCenterDatabase>"
    ).encode()


# --- a minimal FIT writer (definition + data messages, header and file CRCs) ---------------------

_CRC_TABLE = (
    0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
    0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
)  # fmt: skip
FIT_EPOCH = 631065600


def fit_crc(data: bytes) -> int:
    crc = 0
    for byte in data:
        for nibble in (byte & 0xF, byte >> 4):
            tmp = _CRC_TABLE[crc & 0xF]
            crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ _CRC_TABLE[nibble]
    return crc


def fit_file(body: bytes) -> bytes:
    header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(body), b".FIT")
    header += struct.pack("<H", fit_crc(header))
    return header + body + struct.pack("<H", fit_crc(header + body))


def fit_definition(local: int, global_number: int, fields: Sequence[tuple[int, int, int]]) -> bytes:
    """A definition message: (field number, size, base type) per field, little-endian."""
    out = struct.pack("<BBBHB", 0x40 | local, 0, 0, global_number, len(fields))
    return out + b"".join(struct.pack("<BBB", *f) for f in fields)


def fit_activity(
    time: Sequence[float], lat: Sequence[float], lon: Sequence[float], file_type: int = 4
) -> bytes:
    """A FIT file with a file_id (type 4 = activity) and one record per point, no session."""
    body = fit_definition(0, 0, [(0, 1, 0x00)]) + struct.pack("<BB", 0, file_type)
    body += fit_definition(1, 20, [(253, 4, 0x86), (0, 4, 0x85), (1, 4, 0x85)])
    for t, la, lo in zip(time, lat, lon, strict=True):
        semicircles = (round(la * 2**31 / 180), round(lo * 2**31 / 180))
        body += struct.pack("<BIii", 1, int(t) - FIT_EPOCH, *semicircles)
    return fit_file(body)
