"""Synthetic tracks for the activities tests: GPX, TCX and minimal FIT files built in memory."""

from __future__ import annotations

import math
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

import numpy as np

from athlos.activities.streams import Streams
from tests import shared_data

T0 = datetime(2024, 5, 4, 7, 30, tzinfo=UTC).timestamp()
METRES_PER_DEGREE_LAT = 111_132.0  # near 45° N; tests compare with our own geodesic, not this


def shared_files(*patterns: str) -> list[Path]:
    """The shared device files matching the patterns (none without the shared data)."""
    return shared_data.files(shared_data.TRACKS, *patterns)


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


FIT_SPORTS: Final = {"run": 1, "ride": 2, "transition": 3, "swim": 5}


@dataclass(frozen=True)
class FitLeg:
    """One session of a FIT file: its sport and a sample per second (``nan`` for nothing recorded)."""

    sport: str
    time: Sequence[float]
    lat: Sequence[float]
    lon: Sequence[float]
    heart_rate: Sequence[float] | None = None
    cadence: Sequence[float] | None = None
    power: Sequence[float] | None = None


def _or(values: Sequence[float] | None, i: int, invalid: int) -> int:
    value = values[i] if values is not None else math.nan
    return invalid if not math.isfinite(value) else round(value)


def fit_workout(legs: Sequence[FitLeg]) -> bytes:
    """A FIT activity with one session per leg (several make a multisport file): records with
    position, heart rate, cadence and power, and each session's sport, start and elapsed time."""
    body = fit_definition(0, 0, [(0, 1, 0x00)]) + struct.pack("<BB", 0, 4)
    body += fit_definition(
        1, 20, [(253, 4, 0x86), (0, 4, 0x85), (1, 4, 0x85), (3, 1, 0x02), (4, 1, 0x02), (7, 2, 0x84)]
    )
    body += fit_definition(2, 18, [(253, 4, 0x86), (2, 4, 0x86), (5, 1, 0x00), (7, 4, 0x86)])
    for leg in legs:
        for i, (t, la, lo) in enumerate(zip(leg.time, leg.lat, leg.lon, strict=True)):
            position = (
                (round(la * 2**31 / 180), round(lo * 2**31 / 180))
                if math.isfinite(la) and math.isfinite(lo)
                else (0x7FFFFFFF, 0x7FFFFFFF)
            )
            body += struct.pack(
                "<BIiiBBH",
                1,
                int(t) - FIT_EPOCH,
                *position,
                _or(leg.heart_rate, i, 0xFF),
                _or(leg.cadence, i, 0xFF),
                _or(leg.power, i, 0xFFFF),
            )
    for leg in legs:
        start, end = int(leg.time[0]), int(leg.time[-1])
        elapsed = (end - start) * 1000
        body += struct.pack("<BIIBI", 2, end - FIT_EPOCH, start - FIT_EPOCH, FIT_SPORTS[leg.sport], elapsed)
    return fit_file(body)


# A short triathlon: (sport, speed in m/s, seconds) of each leg, one after the other.
TRIATHLON: Final = (
    ("swim", 1.25, 600),  # 750 m at 1:20 per 100 m
    ("transition", 1.0, 60),
    ("ride", 8.0, 1200),  # 9.6 km at 28.8 km/h
    ("transition", 1.0, 30),
    ("run", 3.125, 960),  # 3 km at 5:20 per km
)


def triathlon_fit() -> bytes:
    """A FIT multisport file of :data:`TRIATHLON`'s legs along one northward track."""
    time, lat, lon = line_track([speed for _, speed, seconds in TRIATHLON for _ in range(seconds)])
    legs, first = [], 0
    for k, (sport, _, seconds) in enumerate(TRIATHLON):
        end = first + seconds if k < len(TRIATHLON) - 1 else len(time)
        legs.append(FitLeg(sport, time[first:end].tolist(), lat[first:end].tolist(), lon[first:end].tolist()))
        first = end
    return fit_workout(legs)


def ride_with_power(seconds: int = 1200, lat0: float = 45.0) -> FitLeg:
    """A ride at 8 m/s with power, cadence and heart rate that vary, and one GPS jump half-way."""
    time, lat, lon = line_track([8.0] * seconds, lat0=lat0)
    lat = lat.copy()
    lat[seconds // 2] += 0.01  # a kilometre off for one second: a spike, not a sprint
    k = np.arange(time.shape[0])
    return FitLeg(
        "ride",
        time.tolist(),
        lat.tolist(),
        lon.tolist(),
        heart_rate=(140 + 10 * np.sin(k / 60)).tolist(),
        cadence=(88 + 5 * np.sin(k / 45)).tolist(),
        power=(210 + 40 * np.sin(k / 30)).tolist(),
    )
