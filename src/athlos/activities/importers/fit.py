"""FIT files (Garmin and every device or app that writes the ANT+ format), decoded with fitdecode.

A file that breaks part-way (bad CRC, truncated, undefined message) keeps every record decoded before
the fault and says so in a warning. A multisport file (one session per leg) gives one activity of
sport ``multisport`` whose legs are its sessions, in order.
"""

from __future__ import annotations

import io
from typing import Any, Final

import numpy as np

from athlos.activities.importers.errors import CORRUPT_FILE, NOT_AN_ACTIVITY, ImportRefused
from athlos.activities.streams import (
    DeviceTotals,
    FloatArray,
    Lap,
    ParsedActivity,
    ParsedFile,
    ParsedLeg,
    Streams,
)
from athlos.vocabulary.sports import MULTISPORT, TRANSITION, sport_from_fit

FORMAT: Final = "fit"
FIT_EPOCH_OFFSET: Final = 631065600  # 1989-12-31T00:00:00Z in Unix time
_MIN_ABSOLUTE_TIME: Final = 0x10000000  # smaller FIT date_times are relative to device power-on
_SEMICIRCLES_TO_DEGREES: Final = 180.0 / 2**31
_STRAY_TIME_S: Final = 3600.0  # records this far outside every session are dropped as corrupt
_MAX_DAYS_FROM_MEDIAN: Final = 2 * 86400.0

# Record fields we keep, and their column in a row.
_RECORD_COLUMNS: Final = {
    "timestamp": 0,
    "position_lat": 1,
    "position_long": 2,
    "altitude": 3,
    "enhanced_altitude": 4,
    "heart_rate": 5,
    "cadence": 6,
    "power": 7,
    "speed": 8,
    "enhanced_speed": 9,
    "distance": 10,
}
_ROW_WIDTH: Final = len(_RECORD_COLUMNS)
_SUMMARY_MESSAGES: Final = frozenset({"session", "lap", "file_id", "sport"})


def looks_like_fit(data: bytes) -> bool:
    """Whether ``data`` starts with a FIT file header."""
    return len(data) >= 12 and data[0] in (12, 14) and data[8:12] == b".FIT"


def parse_fit(data: bytes) -> ParsedFile:
    """Decode a FIT file into its activities; raises :class:`ImportRefused` only."""
    if not looks_like_fit(data):
        raise ImportRefused(CORRUPT_FILE, "the file does not start with a FIT header")
    import fitdecode  # here, so that reading other formats does not load the FIT decoder

    rows: list[list[Any]] = []
    messages: dict[str, list[dict[str, Any]]] = {name: [] for name in _SUMMARY_MESSAGES}
    warnings: list[str] = []
    try:
        reader = fitdecode.FitReader(
            io.BytesIO(data),
            processor=None,
            check_crc=fitdecode.CrcCheck.RAISE,
            error_handling=fitdecode.ErrorHandling.IGNORE,
        )
        with reader:
            for frame in reader:
                if frame.frame_type != fitdecode.FIT_FRAME_DATA:
                    continue
                name = frame.name
                if name == "record":
                    row: list[Any] = [None] * _ROW_WIDTH
                    for field in frame.fields:
                        column = _RECORD_COLUMNS.get(field.name)
                        if column is not None:
                            row[column] = field.value
                    rows.append(row)
                elif name in _SUMMARY_MESSAGES:
                    messages[name].append({f.name: f.value for f in frame.fields})
    except fitdecode.FitCRCError:
        warnings.append("the file's checksum does not match; its content was used as read")
    except Exception as exc:  # hostile input can break the decoder anywhere
        if not rows and not messages["session"]:
            raise ImportRefused(CORRUPT_FILE, f"the FIT file cannot be decoded: {_reason(exc)}") from None
        warnings.append(
            f"the FIT file breaks part-way ({_reason(exc)}); kept the {len(rows)} records read before it"
        )

    file_type = next((m.get("type") for m in messages["file_id"] if m.get("type") is not None), None)
    if file_type is not None and file_type != "activity":
        raise ImportRefused(NOT_AN_ACTIVITY, f"this is a FIT {file_type} file, not an activity")
    table = _record_table(rows)
    if not table.shape[0] and not messages["session"]:
        raise ImportRefused(NOT_AN_ACTIVITY, "the FIT file holds no activity records or sessions")
    activities = _split_sessions(table, messages, warnings)
    if not activities:
        raise ImportRefused(NOT_AN_ACTIVITY, "the FIT file holds no activity with usable timestamps")
    return ParsedFile(file_format=FORMAT, activities=activities, warnings=warnings)


def _reason(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:200]


def _number(value: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return float("nan")


def _record_table(rows: list[list[Any]]) -> FloatArray:
    """Rows → float matrix (NaN where missing), times in Unix seconds, degrees for positions."""
    if not rows:
        return np.empty((0, _ROW_WIDTH))
    try:
        table = np.array(rows, dtype=np.float64)
    except (TypeError, ValueError):  # a damaged record may hold tuples or text
        table = np.array([[_number(v) for v in row] for row in rows], dtype=np.float64)
    t = table[:, 0]
    t[t < _MIN_ABSOLUTE_TIME] = np.nan
    table[:, 0] = t + FIT_EPOCH_OFFSET
    table[:, 1:3] *= _SEMICIRCLES_TO_DEGREES
    bad = (np.abs(table[:, 1]) > 90) | (np.abs(table[:, 2]) > 180)
    table[bad, 1:3] = np.nan
    return table


def _fit_time(value: Any) -> float | None:
    if isinstance(value, int) and value >= _MIN_ABSOLUTE_TIME:
        return float(value + FIT_EPOCH_OFFSET)
    return None


def _opt(message: dict[str, Any], *names: str) -> float | None:
    for name in names:
        value = message.get(name)
        if isinstance(value, int | float) and not isinstance(value, bool) and np.isfinite(value):
            return float(value)
    return None


def _split_sessions(
    table: FloatArray, messages: dict[str, list[dict[str, Any]]], warnings: list[str]
) -> list[ParsedActivity]:
    sessions = [s for s in messages["session"] if _fit_time(s.get("start_time")) is not None]
    sessions.sort(key=lambda s: _fit_time(s["start_time"]) or 0.0)
    t = table[:, 0]
    finite = np.isfinite(t)
    if sessions:
        starts = np.array([_fit_time(s["start_time"]) for s in sessions], dtype=np.float64)
        ends = np.array(
            [
                start + (_opt(s, "total_elapsed_time") or 0.0)
                for start, s in zip(starts, sessions, strict=True)
            ]
        )
        inside = finite & (t >= starts[0] - _STRAY_TIME_S) & (t <= ends.max() + _STRAY_TIME_S)
    else:
        median = float(np.median(t[finite])) if finite.any() else 0.0
        inside = finite & (np.abs(t - median) <= _MAX_DAYS_FROM_MEDIAN)
    dropped = int(finite.sum() - inside.sum())
    if dropped:
        warnings.append(f"dropped {dropped} records whose timestamps lie outside the activity")
    if (~finite).any():
        warnings.append(f"dropped {int((~finite).sum())} records without a valid timestamp")
    table = table[inside]
    table = table[np.argsort(table[:, 0], kind="stable")]
    table = _merge_same_time(table)

    sport_message = messages["sport"][0] if messages["sport"] else {}
    laps = [_lap(m) for m in messages["lap"] if _fit_time(m.get("start_time")) is not None]
    if not sessions:
        if not table.shape[0]:
            return []
        warnings.append("the file has no session summary; totals are computed from its records")
        sport = sport_from_fit(sport_message.get("sport"), sport_message.get("sub_sport"))
        return [_activity(table, sport, None, laps)]

    index = np.searchsorted(starts, table[:, 0], side="right") - 1
    index = np.clip(index, 0, len(sessions) - 1)
    lap_starts = np.array([lap.start_time for lap in laps])
    lap_index = np.clip(np.searchsorted(starts, lap_starts, side="right") - 1, 0, len(sessions) - 1)
    sports = [_session_sport(session, sport_message) for session in sessions]
    if len(sessions) == 1:
        return [_activity(table, sports[0], sessions[0], laps)]
    # The table is sorted by time, so each session's records are one run of it.
    bounds = np.searchsorted(index, np.arange(len(sessions) + 1), side="left")
    legs = [
        ParsedLeg(
            sport=sport,
            start_time=float(starts[k]),
            first_sample=int(bounds[k]),
            end_sample=int(bounds[k + 1]),
            laps=[lap for lap, i in zip(laps, lap_index, strict=True) if i == k],
            device=_device_totals(session),
        )
        for k, (session, sport) in enumerate(zip(sessions, sports, strict=True))
    ]
    multisport = _activity(table, MULTISPORT, None, laps)
    multisport.start_time = legs[0].start_time
    multisport.legs = legs
    return [multisport]


def _session_sport(session: dict[str, Any], sport_message: dict[str, Any]) -> str:
    raw_sport = session.get("sport")
    if raw_sport == "transition":
        return TRANSITION
    if raw_sport is None and sport_message:
        return sport_from_fit(sport_message.get("sport"), sport_message.get("sub_sport"))
    return sport_from_fit(raw_sport, session.get("sub_sport"))


def _merge_same_time(table: FloatArray) -> FloatArray:
    """Fold records sharing a timestamp (some apps write position and distance separately)."""
    if table.shape[0] < 2:
        return table
    starts = np.flatnonzero(np.r_[True, np.diff(table[:, 0]) > 0])
    if starts.shape[0] == table.shape[0]:
        return table
    return np.fmax.reduceat(table, starts, axis=0)


def _lap(message: dict[str, Any]) -> Lap:
    return Lap(
        start_time=_fit_time(message.get("start_time")) or 0.0,
        elapsed_time_s=_opt(message, "total_elapsed_time"),
        timer_time_s=_opt(message, "total_timer_time"),
        distance_m=_opt(message, "total_distance"),
        calories=_opt(message, "total_calories"),
        avg_heart_rate=_opt(message, "avg_heart_rate"),
        max_heart_rate=_opt(message, "max_heart_rate"),
        ascent_m=_opt(message, "total_ascent"),
        descent_m=_opt(message, "total_descent"),
    )


def _device_totals(session: dict[str, Any]) -> DeviceTotals:
    return DeviceTotals(
        distance_m=_opt(session, "total_distance"),
        timer_time_s=_opt(session, "total_timer_time"),
        elapsed_time_s=_opt(session, "total_elapsed_time"),
        ascent_m=_opt(session, "total_ascent"),
        descent_m=_opt(session, "total_descent"),
        avg_heart_rate=_opt(session, "avg_heart_rate"),
        max_heart_rate=_opt(session, "max_heart_rate"),
        calories=_opt(session, "total_calories"),
        avg_cadence=_opt(session, "avg_cadence"),
        avg_power=_opt(session, "avg_power"),
        normalized_power=_opt(session, "normalized_power"),
        max_speed_mps=_opt(session, "enhanced_max_speed", "max_speed"),
    )


def _activity(
    table: FloatArray, sport: str, session: dict[str, Any] | None, laps: list[Lap]
) -> ParsedActivity:
    altitude = np.where(np.isfinite(table[:, 4]), table[:, 4], table[:, 3])
    speed = np.where(np.isfinite(table[:, 9]), table[:, 9], table[:, 8])
    streams = Streams.from_columns(
        table[:, 0],
        {
            "lat": table[:, 1],
            "lon": table[:, 2],
            "altitude": altitude,
            "heart_rate": table[:, 5],
            "cadence": table[:, 6],
            "power": table[:, 7],
            "speed": speed,
            "distance": table[:, 10],
        },
    )
    session_start = _fit_time(session.get("start_time")) if session else None
    start = session_start if session_start is not None else float(streams.time[0])
    return ParsedActivity(
        sport=sport,
        start_time=start,
        streams=streams,
        file_format=FORMAT,
        laps=laps,
        device=_device_totals(session) if session else None,
    )
