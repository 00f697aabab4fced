"""Apple Health ``export.zip``: the workouts of ``apple_health_export/export.xml`` and their routes.

The export can be gigabytes (every heart beat the watch ever counted is a ``<Record>``), so it is read as
a stream by expat with defusedxml's rules (no entity declarations, no external references), and only the
workouts' few figures are kept; no element tree is ever built. A workout's route is one of the export's
``workout-routes/*.gpx`` files, read by the GPX importer when the workout is imported.
"""

from __future__ import annotations

import hashlib
import io
import math
import zipfile
import zlib
from datetime import datetime
from typing import IO, Any, Final
from xml.parsers import expat

from athlos.activities.importers.errors import (
    CORRUPT_FILE,
    NOT_AN_ACTIVITY,
    TOO_LARGE,
    XML_FORBIDDEN,
    ImportRefused,
)
from athlos.activities.importers.gpx import parse_gpx
from athlos.activities.streams import DeviceTotals, ParsedActivity, ParsedFile, Streams
from athlos.vocabulary.sports import estimate_calories, sport_from_health

FORMAT: Final = "apple_health"
EXPORT_XML: Final = "export.xml"
# A real export.xml packs 10-30 times; far more means a compression bomb, not years of heart beats.
MAX_XML_BYTES: Final = 8 * 1024**3
MAX_PACKING_RATIO: Final = 200
MIN_XML_ALLOWANCE: Final = 16 * 1024 * 1024
MAX_WORKOUT_ELEMENTS: Final = 100_000
MAX_DURATION_S: Final = 14 * 24 * 3600.0

_HEART_RATE: Final = "HKQuantityTypeIdentifierHeartRate"
_DISTANCES: Final = frozenset(
    {
        "HKQuantityTypeIdentifierDistanceWalkingRunning",
        "HKQuantityTypeIdentifierDistanceCycling",
        "HKQuantityTypeIdentifierDistanceSwimming",
        "HKQuantityTypeIdentifierDistanceDownhillSnowSports",
        "HKQuantityTypeIdentifierDistanceWheelchair",
        "HKQuantityTypeIdentifierDistanceCrossCountrySkiing",
        "HKQuantityTypeIdentifierDistancePaddleSports",
        "HKQuantityTypeIdentifierDistanceRowing",
    }
)
_ENERGY: Final = "HKQuantityTypeIdentifierActiveEnergyBurned"
_METRES: Final = {"m": 1.0, "km": 1000.0, "mi": 1609.344, "yd": 0.9144, "ft": 0.3048, "cm": 0.01}
_KCAL: Final = {"kcal": 1.0, "Cal": 1.0, "cal": 0.001, "kJ": 1 / 4.184, "J": 1 / 4184.0}
_SECONDS: Final = {"min": 60.0, "s": 1.0, "sec": 1.0, "hr": 3600.0, "h": 3600.0, "ms": 0.001}
_DATE_FORMAT: Final = "%Y-%m-%d %H:%M:%S %z"
_CHUNK: Final = 256 * 1024


class LimitedReader(io.RawIOBase):
    """A binary stream that refuses (``too_large``) to yield more than ``limit`` bytes."""

    def __init__(self, stream: IO[bytes], limit: int, what: str) -> None:
        super().__init__()
        self._stream = stream
        self._limit = limit
        self._what = what
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        chunk = self._stream.read(len(view))
        self.count += len(chunk)
        if self.count > self._limit:
            raise ImportRefused(TOO_LARGE, f"{self._what} unpacks to more than {self._limit} bytes")
        view[: len(chunk)] = chunk
        return len(chunk)


def xml_allowance(compressed_size: int, max_bytes: int = MAX_XML_BYTES) -> int:
    """How many bytes an export.xml packed into ``compressed_size`` bytes may unpack to."""
    return min(max_bytes, max(MIN_XML_ALLOWANCE, compressed_size * MAX_PACKING_RATIO))


def read_workouts(stream: IO[bytes], *, max_workouts: int) -> tuple[list[dict[str, Any]], list[str]]:
    """The workouts of an export.xml stream as small JSON-ready dicts, and warnings about skipped ones.

    Raises :class:`ImportRefused`: ``xml_forbidden`` for entities or external references,
    ``corrupt_file`` for broken XML, ``not_an_activity`` for another document, ``too_large`` for more
    than ``max_workouts`` workouts or an element of absurd size.
    """
    reader = _WorkoutReader(max_workouts)
    try:
        while chunk := stream.read(_CHUNK):
            reader.parser.Parse(chunk, False)
        reader.parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise ImportRefused(CORRUPT_FILE, f"the Apple Health export is not well-formed XML: {exc}") from None
    except (
        ValueError,
        LookupError,
        RecursionError,
        EOFError,
        OSError,
        zipfile.BadZipFile,
        zlib.error,
    ) as exc:
        raise ImportRefused(CORRUPT_FILE, f"the Apple Health export cannot be read: {exc}") from None
    if not reader.rooted:
        raise ImportRefused(CORRUPT_FILE, "the Apple Health export holds no document")
    return reader.workouts, reader.warnings


def _forbidden(*_: object) -> int:
    raise ImportRefused(XML_FORBIDDEN, "the Apple Health export declares XML entities or external references")


class _WorkoutReader:
    """An expat parser that keeps only the workouts' attributes and those of their children.

    Nothing else is built: the millions of ``<Record>`` rows cost one call each and are forgotten.
    Entity declarations and external references are refused as they are met (as defusedxml does), so
    nothing is ever expanded or fetched.
    """

    def __init__(self, max_workouts: int) -> None:
        self.parser = expat.ParserCreate()
        self.parser.buffer_text = True
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.EntityDeclHandler = _forbidden
        self.parser.UnparsedEntityDeclHandler = _forbidden
        self.parser.ExternalEntityRefHandler = _forbidden
        self.max_workouts = max_workouts
        self.workouts: list[dict[str, Any]] = []
        self.warnings: list[str] = []
        self.rooted = False
        self._depth = 0
        self._inside = 0
        self._workout: dict[str, str] | None = None
        self._children: list[tuple[str, dict[str, str]]] = []

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        self._depth += 1
        if self._depth == 1:
            if name != "HealthData":
                raise ImportRefused(NOT_AN_ACTIVITY, f"export.xml holds <{name[:50]}>, not HealthData")
            self.rooted = True
        elif self._depth == 2:
            self._inside = 0
            if name == "Workout":
                self._workout, self._children = attrs, []
        else:
            self._inside += 1
            if self._inside > MAX_WORKOUT_ELEMENTS:
                raise ImportRefused(TOO_LARGE, "an element of the export holds too many elements")
            if self._workout is not None:
                self._children.append((name, attrs))

    def _end(self, name: str) -> None:
        self._depth -= 1
        if self._depth != 1 or self._workout is None:
            return
        try:
            self.workouts.append(workout_from(self._workout, self._children))
        except ValueError as exc:
            self.warnings.append(f"skipped a workout: {exc}")
        self._workout, self._children = None, []
        if len(self.workouts) > self.max_workouts:
            raise ImportRefused(TOO_LARGE, f"the export holds more than {self.max_workouts} workouts")


def _date(text: str | None) -> float:
    if not text:
        raise ValueError("it has no start or end")
    try:
        return datetime.strptime(text.strip(), _DATE_FORMAT).timestamp()
    except ValueError:
        return datetime.fromisoformat(text.strip()).timestamp()


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


def _scaled(text: str | None, unit: str | None, units: dict[str, float], default: str) -> float | None:
    value = _number(text)
    factor = units.get(unit or default)
    if value is None or factor is None:
        return None
    return value * factor


def workout_from(attrs: dict[str, str], children: list[tuple[str, dict[str, str]]]) -> dict[str, Any]:
    """One ``<Workout>`` (its attributes, and its nested elements' names and attributes) as a JSON-ready
    dict; ``ValueError`` when it has no usable times."""
    kind = (attrs.get("workoutActivityType") or "")[:100]
    start = _date(attrs.get("startDate"))
    end = _date(attrs.get("endDate"))
    if not (end >= start and end - start <= MAX_DURATION_S):
        raise ValueError("its end is before its start or weeks after it")
    duration = _scaled(attrs.get("duration"), attrs.get("durationUnit"), _SECONDS, "min")
    distance = _scaled(attrs.get("totalDistance"), attrs.get("totalDistanceUnit"), _METRES, "km")
    calories = _scaled(attrs.get("totalEnergyBurned"), attrs.get("totalEnergyBurnedUnit"), _KCAL, "kcal")
    heart: dict[str, float | None] = {}
    metadata: dict[str, str] = {}
    route: str | None = None
    for name, child in children:
        if name == "MetadataEntry":
            metadata[(child.get("key") or "")[:100]] = (child.get("value") or "")[:100]
        elif name == "WorkoutStatistics":
            stat = child.get("type")
            if stat == _HEART_RATE:
                heart = {
                    "avg": _number(child.get("average")),
                    "max": _number(child.get("maximum")),
                    "min": _number(child.get("minimum")),
                }
            elif stat in _DISTANCES and distance is None:
                distance = _scaled(child.get("sum"), child.get("unit"), _METRES, "km")
            elif stat == _ENERGY and calories is None:
                calories = _scaled(child.get("sum"), child.get("unit"), _KCAL, "kcal")
        elif name == "FileReference" and route is None and child.get("path"):
            route = (child.get("path") or "")[:1000]
    open_water = metadata.get("HKSwimmingLocationType") == "2"
    return {
        "type": kind,
        "sport": sport_from_health(kind, open_water=open_water),
        "start": start,
        "end": end,
        "duration_s": duration if duration is not None and duration <= MAX_DURATION_S else None,
        "distance_m": distance,
        "calories": calories,
        "avg_heart_rate": heart.get("avg"),
        "max_heart_rate": heart.get("max"),
        "source": (attrs.get("sourceName") or "")[:100],
        "indoor": metadata.get("HKIndoorWorkout") == "1",
        "route": route,
    }


def workout_key(workout: dict[str, Any]) -> str:
    """A fingerprint of a workout that another export of the same person gives again (for duplicates)."""
    text = f"{FORMAT}:{workout['type']}:{workout['start']:.0f}:{workout['end']:.0f}:{workout['source']}"
    return hashlib.sha256(text.encode()).hexdigest()


def workout_activity(workout: dict[str, Any], route: bytes | None) -> ParsedFile:
    """The activity of one workout read by :func:`read_workouts`, with the samples of its route file."""
    elapsed = workout["end"] - workout["start"]
    timer = workout["duration_s"] or elapsed
    calories = workout["calories"]
    if calories is None:
        calories = estimate_calories(workout["sport"], None, timer)
    device = DeviceTotals(
        distance_m=workout["distance_m"],
        elapsed_time_s=elapsed,
        timer_time_s=timer,
        calories=calories,
        avg_heart_rate=workout["avg_heart_rate"],
        max_heart_rate=workout["max_heart_rate"],
    )
    streams = Streams.empty()
    warnings: list[str] = []
    if route is not None:
        try:
            [track, *_] = parse_gpx(route).activities
        except ImportRefused as refused:
            warnings.append(f"its route could not be read ({refused.code}: {refused.detail})")
        else:
            streams = track.streams
            warnings.extend(track.warnings)
    activity = ParsedActivity(
        sport=workout["sport"],
        start_time=workout["start"],
        streams=streams,
        file_format=FORMAT,
        device=device,
        warnings=warnings,
    )
    return ParsedFile(file_format=FORMAT, activities=[activity])
