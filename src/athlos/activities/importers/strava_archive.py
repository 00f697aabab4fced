"""Strava bulk export: ``activities.csv`` lists every activity with its name, type, description and
totals, and names its file (``activities/123.fit.gz``, ``.gpx``, ``.tcx.gz``) when there is one.

Rows are read into small JSON-ready dicts; an activity with a file is imported from the file with the
row's name, description and sport, one without a file from the row's totals alone.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
from datetime import UTC, datetime
from typing import Any, Final

from athlos.activities.importers.errors import INVALID_CSV, TOO_LARGE, ImportRefused
from athlos.activities.streams import DeviceTotals, ParsedActivity, ParsedFile, Streams
from athlos.vocabulary.sports import estimate_calories, sport_from_name

FORMAT: Final = "strava"
ACTIVITIES_CSV: Final = "activities.csv"
MAX_NAME: Final = 200
MAX_DESCRIPTION: Final = 10_000
MAX_FIELD: Final = 100_000
MAX_DURATION_S: Final = 14 * 24 * 3600.0
MAX_DISTANCE_M: Final = 5_000_000.0
_REQUIRED: Final = ("Activity ID", "Activity Date")
# Strava writes dates in the account's language; these are the forms seen in English exports, then ISO.
_DATE_FORMATS: Final = (
    "%b %d, %Y, %I:%M:%S %p",
    "%b %d, %Y, %H:%M:%S",
    "%d %b %Y, %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _text(value: str | None, limit: int) -> str | None:
    if value is None:
        return None
    cleaned = _CONTROL.sub("", value).strip()
    return cleaned[:limit] or None


def _number(value: str | None) -> float | None:
    """A number as Strava writes it (``"5.21"``, ``"1,234.5"``, ``"5,21"``); ``None`` when absent."""
    if not value:
        return None
    text = value.strip().replace(" ", "")
    text = text.replace(",", "") if "," in text and "." in text else text.replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) and number >= 0 else None


def _date(value: str | None) -> float:
    text = (value or "").strip()
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=UTC).timestamp()
        except ValueError:
            continue
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"its date {text[:40]!r} cannot be read") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def read_activities_csv(data: bytes, *, max_rows: int) -> tuple[list[dict[str, Any]], list[str]]:
    """The rows of ``activities.csv`` as dicts, and warnings about the rows skipped.

    Raises ``invalid_csv`` for text that is not a CSV with the Strava columns, ``too_large`` for more
    than ``max_rows`` activities.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(INVALID_CSV, f"activities.csv is not UTF-8 text: {exc}") from None
    if "\x00" in text:
        raise ImportRefused(INVALID_CSV, "activities.csv holds NUL characters")
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    try:
        header = next(reader, None)
        if header is None:
            raise ImportRefused(INVALID_CSV, "activities.csv is empty")
        columns = _columns(header)
        rows: list[dict[str, Any]] = []
        warnings: list[str] = []
        for line, values in enumerate(reader, start=2):
            if not any(value.strip() for value in values):
                continue
            if len(rows) >= max_rows:
                raise ImportRefused(TOO_LARGE, f"activities.csv lists more than {max_rows} activities")
            if any(len(value) > MAX_FIELD for value in values):
                warnings.append(f"activities.csv line {line}: skipped, a field is too long")
                continue
            try:
                rows.append(_row(values, columns))
            except ValueError as exc:
                warnings.append(f"activities.csv line {line}: skipped, {exc}")
    except csv.Error as exc:
        raise ImportRefused(INVALID_CSV, f"activities.csv is not a readable CSV: {exc}") from None
    return rows, warnings


def _columns(header: list[str]) -> dict[str, list[int]]:
    """Column name → every index it appears at (the export repeats "Distance" and "Elapsed Time")."""
    columns: dict[str, list[int]] = {}
    for index, name in enumerate(header):
        columns.setdefault(name.strip(), []).append(index)
    missing = [name for name in _REQUIRED if name not in columns]
    if missing:
        raise ImportRefused(INVALID_CSV, f"activities.csv has no column {missing[0]!r}")
    return columns


def _row(values: list[str], columns: dict[str, list[int]]) -> dict[str, Any]:
    def first(name: str) -> str | None:
        indices = columns.get(name, [])
        return values[indices[0]] if indices and indices[0] < len(values) else None

    def last(name: str) -> str | None:
        indices = [i for i in columns.get(name, []) if i < len(values) and values[i].strip()]
        return values[indices[-1]] if indices else None

    activity_id = _text(first("Activity ID"), 40)
    if not activity_id:
        raise ValueError("it has no activity id")
    start = _date(first("Activity Date"))
    # The first "Distance" is in kilometres; a second one, when the export has it, in metres.
    distance = _number(last("Distance"))
    if distance is not None and len(columns.get("Distance", [])) < 2:
        distance *= 1000.0
    kind = _text(first("Activity Type"), 60)
    row: dict[str, Any] = {
        "id": activity_id,
        "start": start,
        "name": _text(first("Activity Name"), MAX_NAME),
        "type": kind,
        "sport": sport_from_name(kind),
        "description": _text(first("Activity Description"), MAX_DESCRIPTION),
        "file": _text(first("Filename"), 1000),
        "distance_m": distance if distance is not None and distance <= MAX_DISTANCE_M else None,
        "elapsed_s": _number(last("Elapsed Time")),
        "moving_s": _number(last("Moving Time")),
        "avg_heart_rate": _number(last("Average Heart Rate")),
        "max_heart_rate": _number(last("Max Heart Rate")),
        "calories": _number(last("Calories")),
        "elevation_gain_m": _number(last("Elevation Gain")),
    }
    for key in ("elapsed_s", "moving_s"):
        value = row[key]
        if value is not None and value > MAX_DURATION_S:
            row[key] = None
    return row


def row_key(row: dict[str, Any]) -> str:
    """The duplicate fingerprint of a row without a file: the same Strava activity gives the same."""
    return hashlib.sha256(f"{FORMAT}:{row['id']}".encode()).hexdigest()


def row_activity(row: dict[str, Any]) -> ParsedFile:
    """An activity from the totals of a row that names no file (typed in on Strava, or a file lost)."""
    elapsed = row["elapsed_s"] or row["moving_s"]
    timer = row["moving_s"] or elapsed
    calories = row["calories"]
    if calories is None and timer:
        calories = estimate_calories(row["sport"], None, timer)
    device = DeviceTotals(
        distance_m=row["distance_m"],
        elapsed_time_s=elapsed,
        timer_time_s=timer,
        ascent_m=row["elevation_gain_m"],
        avg_heart_rate=row["avg_heart_rate"],
        max_heart_rate=row["max_heart_rate"],
        calories=calories,
    )
    activity = ParsedActivity(
        sport=row["sport"],
        start_time=row["start"],
        streams=Streams.empty(),
        file_format=FORMAT,
        device=device,
        name=row["name"],
        description=row["description"],
    )
    return ParsedFile(file_format=FORMAT, activities=[activity])
