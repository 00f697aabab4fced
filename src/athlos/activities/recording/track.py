"""A live recording's points as a track: streams, paused spans, totals and a GPX document. Pure, no I/O.

Points are rows ``[t, lat, lon, alt, hr, accuracy]`` (epoch seconds, degrees, metres, beats per minute,
metres; ``None`` when absent). The recorder is the device here: what it knows that a file would not —
when the athlete paused — goes into :class:`DeviceTotals`, so the summary's moving time and distance
leave out the paused spans while every other figure is computed from the points as for any file.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Final
from xml.sax.saxutils import escape, quoteattr

import numpy as np
import numpy.typing as npt

from athlos.activities.metrics import cumulative_distance, moving_mask
from athlos.activities.streams import DeviceTotals, FloatArray, Lap, ParsedActivity, Streams
from athlos.vocabulary.sports import get_sport

# Fixes less precise than this (a phone's first cell-tower guesses) are kept as sent but left out of
# the track: they would add distance that was never covered.
MAX_ACCURACY_M: Final = 50.0
FORMAT: Final = "recording"
T, LAT, LON, ALT, HR, ACCURACY = range(6)

Point = Sequence[float | None]
Span = Sequence[float]


def track_streams(points: Iterable[Point]) -> Streams:
    """The usable points in time order, one per instant (a point sent twice counts once)."""
    rows = [row for row in points if row[ACCURACY] is None or float(row[ACCURACY] or 0.0) <= MAX_ACCURACY_M]
    if not rows:
        return Streams.empty()
    table = np.array([[np.nan if v is None else float(v) for v in row[:5]] for row in rows], dtype=np.float64)
    table = table[np.argsort(table[:, T], kind="stable")]
    first_of_instant = np.concatenate(([True], np.diff(table[:, T]) > 0))
    table = table[first_of_instant]
    return Streams.from_columns(
        table[:, T],
        {"lat": table[:, LAT], "lon": table[:, LON], "altitude": table[:, ALT], "heart_rate": table[:, HR]},
    )


def paused_intervals(time: FloatArray, pauses: Iterable[Span]) -> npt.NDArray[np.bool_]:
    """Which of the ``n - 1`` intervals between samples overlap a paused span."""
    if time.shape[0] < 2:
        return np.zeros(0, dtype=bool)
    starts, ends = time[:-1], time[1:]
    paused = np.zeros(starts.shape[0], dtype=bool)
    for begin, end in pauses:
        paused |= (starts < end) & (ends > begin)
    return paused


def recorder_totals(streams: Streams, sport: str, pauses: Sequence[Span]) -> DeviceTotals:
    """Distance and moving time without the paused spans, and the elapsed time, as the recorder saw them."""
    n = len(streams)
    if n < 2:
        return DeviceTotals(distance_m=0.0, timer_time_s=0.0, elapsed_time_s=0.0)
    distance = cumulative_distance(streams)
    moving = moving_mask(streams, distance, get_sport(sport).moving_speed_mps)
    paused = paused_intervals(streams.time, pauses)
    dt = np.diff(streams.time)
    return DeviceTotals(
        distance_m=float(np.diff(distance)[~paused].sum()),
        timer_time_s=float(dt[moving & ~paused].sum()),
        elapsed_time_s=float(streams.time[-1] - streams.time[0]),
    )


def recorded_activity(
    points: Iterable[Point], sport: str, pauses: Sequence[Span], lap_starts: Sequence[float] = ()
) -> ParsedActivity:
    streams = track_streams(points)
    start = float(streams.time[0]) if len(streams) else 0.0
    return ParsedActivity(
        sport=sport,
        start_time=start,
        streams=streams,
        file_format=FORMAT,
        device=recorder_totals(streams, sport, pauses),
        laps=recorded_laps(streams, pauses, lap_starts),
    )


def recorded_laps(streams: Streams, pauses: Sequence[Span], lap_starts: Sequence[float]) -> list[Lap]:
    """The laps the lap button made: none when it was never pressed, else one from the start to the
    first press, one between presses and one to the end; each lap's timer leaves out the paused spans."""
    if not len(streams) or not lap_starts:
        return []
    first, last = float(streams.time[0]), float(streams.time[-1])
    bounds = [first, *(t for t in sorted(lap_starts) if first < t < last), last]
    laps = []
    for begin, end in itertools.pairwise(bounds):
        paused = sum(max(0.0, min(end, b) - max(begin, a)) for a, b in pauses)
        laps.append(Lap(start_time=begin, elapsed_time_s=end - begin, timer_time_s=end - begin - paused))
    return laps


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _number(value: float) -> str:
    return f"{value:.7f}".rstrip("0").rstrip(".")


def gpx_document(
    streams: Streams, pauses: Sequence[Span], *, name: str, sport: str, keywords: str = ""
) -> bytes:
    """The track as GPX 1.1, a new segment after each pause, heart rate as a TrackPointExtension.

    ``keywords`` (the recording's id) makes each recording's document its own, so two recordings of the
    same points never look like one file imported twice."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<gpx version="1.1" creator="Athlos" xmlns="http://www.topografix.com/GPX/1/1"'
        ' xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">',
    ]
    metadata = f"<time>{_iso(float(streams.time[0]))}</time>" if len(streams) else ""
    if keywords:
        metadata += f"<keywords>{escape(keywords)}</keywords>"
    if metadata:
        lines.append(f"<metadata>{metadata}</metadata>")
    lines.append(f"<trk><name>{escape(name)}</name><type>{escape(sport)}</type><trkseg>")
    paused = paused_intervals(streams.time, pauses)
    for i in range(len(streams)):
        if i > 0 and paused[i - 1]:
            lines.append("</trkseg><trkseg>")
        lat, lon = float(streams.lat[i]), float(streams.lon[i])
        if not (np.isfinite(lat) and np.isfinite(lon)):
            continue
        parts = [f"<trkpt lat={quoteattr(_number(lat))} lon={quoteattr(_number(lon))}>"]
        altitude = float(streams.altitude[i])
        if np.isfinite(altitude):
            parts.append(f"<ele>{altitude:.1f}</ele>")
        parts.append(f"<time>{_iso(float(streams.time[i]))}</time>")
        heart_rate = float(streams.heart_rate[i])
        if np.isfinite(heart_rate):
            parts.append(
                "<extensions><gpxtpx:TrackPointExtension>"
                f"<gpxtpx:hr>{round(heart_rate)}</gpxtpx:hr>"
                "</gpxtpx:TrackPointExtension></extensions>"
            )
        parts.append("</trkpt>")
        lines.append("".join(parts))
    lines.append("</trkseg></trk></gpx>")
    return ("\n".join(lines) + "\n").encode()
