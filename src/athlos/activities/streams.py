"""What importers produce: a columnar track (numpy), laps, device totals, and the parsed activity.

Every stream has one value per sample and ``NaN`` where the device recorded nothing. Times are UTC
epoch seconds (float). Pure data, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

CHANNELS: Final = ("lat", "lon", "altitude", "heart_rate", "cadence", "power", "speed", "distance")


def _column(values: Sequence[float | None] | FloatArray | None, n: int) -> FloatArray:
    if values is None:
        return np.full(n, np.nan)
    array = np.asarray(values, dtype=np.float64)  # None becomes NaN
    if array.shape != (n,):
        raise ValueError(f"stream length {array.shape} does not match {n} timestamps")
    return array


@dataclass(slots=True)
class Streams:
    """A track as parallel numpy arrays, sorted by ``time``."""

    time: FloatArray
    lat: FloatArray
    lon: FloatArray
    altitude: FloatArray
    heart_rate: FloatArray
    cadence: FloatArray
    power: FloatArray
    speed: FloatArray
    distance: FloatArray

    @classmethod
    def from_columns(
        cls,
        time: Sequence[float] | FloatArray,
        columns: Mapping[str, Sequence[float | None] | FloatArray | None] | None = None,
    ) -> Streams:
        """Build streams from a time column and any of :data:`CHANNELS`.

        Samples are stably sorted by time; samples with a non-finite time are dropped.
        """
        t = np.asarray(time, dtype=np.float64)
        n = t.shape[0]
        cols = {name: _column((columns or {}).get(name), n) for name in CHANNELS}
        keep = np.isfinite(t)
        if not keep.all() or (n > 1 and np.any(np.diff(t[keep]) < 0)):
            order = np.argsort(np.where(keep, t, np.inf), kind="stable")[: int(keep.sum())]
            t = t[order]
            cols = {name: col[order] for name, col in cols.items()}
        return cls(time=t, **cols)

    @classmethod
    def empty(cls) -> Streams:
        return cls.from_columns(np.empty(0))

    def __len__(self) -> int:
        return int(self.time.shape[0])

    def has(self, name: str) -> bool:
        """Whether channel ``name`` holds at least one recorded value."""
        values: FloatArray = getattr(self, name)
        return bool(values.size) and bool(np.isfinite(values).any())

    @property
    def has_positions(self) -> bool:
        return bool(np.count_nonzero(np.isfinite(self.lat) & np.isfinite(self.lon)) >= 2)

    def select(self, mask: npt.NDArray[np.bool_]) -> Streams:
        """The samples where ``mask`` is true."""
        return Streams(time=self.time[mask], **{name: getattr(self, name)[mask] for name in CHANNELS})

    def between(self, first: int, end: int) -> Streams:
        """The samples ``first`` to ``end`` (exclusive), as views of these arrays."""
        return Streams(
            time=self.time[first:end], **{name: getattr(self, name)[first:end] for name in CHANNELS}
        )


@dataclass(slots=True)
class Lap:
    """A lap as the file recorded it (device laps or TCX ``<Lap>``)."""

    start_time: float
    elapsed_time_s: float | None = None
    timer_time_s: float | None = None
    distance_m: float | None = None
    calories: float | None = None
    avg_heart_rate: float | None = None
    max_heart_rate: float | None = None
    ascent_m: float | None = None
    descent_m: float | None = None


@dataclass(slots=True)
class DeviceTotals:
    """The totals the device itself recorded for a session (FIT ``session``, TCX lap sums)."""

    distance_m: float | None = None
    timer_time_s: float | None = None
    elapsed_time_s: float | None = None
    ascent_m: float | None = None
    descent_m: float | None = None
    avg_heart_rate: float | None = None
    max_heart_rate: float | None = None
    calories: float | None = None
    avg_cadence: float | None = None
    avg_power: float | None = None
    normalized_power: float | None = None
    max_speed_mps: float | None = None


@dataclass(slots=True)
class ParsedLeg:
    """One leg of a multisport activity (a FIT session): its sport (``transition`` between two), the
    samples ``first_sample`` to ``end_sample`` (exclusive) of the activity's track, and its own laps and
    device totals."""

    sport: str
    start_time: float
    first_sample: int
    end_sample: int
    laps: list[Lap] = field(default_factory=list)
    device: DeviceTotals | None = None


@dataclass(slots=True)
class ParsedActivity:
    """One activity read from a file, before any metric is computed; a multisport one holds its
    ``legs`` in order, which cover its track."""

    sport: str
    start_time: float
    streams: Streams
    file_format: str
    laps: list[Lap] = field(default_factory=list)
    device: DeviceTotals | None = None
    name: str | None = None
    description: str | None = None
    warnings: list[str] = field(default_factory=list)
    legs: list[ParsedLeg] = field(default_factory=list)


def leg_activities(parsed: ParsedActivity) -> list[ParsedActivity]:
    """Each leg of a multisport activity as an activity of its own (its slice of the track, laps and
    device totals); a single-sport activity is its own only leg."""
    if not parsed.legs:
        return [parsed]
    return [
        ParsedActivity(
            sport=leg.sport,
            start_time=leg.start_time,
            streams=parsed.streams.between(leg.first_sample, leg.end_sample),
            file_format=parsed.file_format,
            laps=leg.laps,
            device=leg.device,
        )
        for leg in parsed.legs
    ]


@dataclass(slots=True)
class ParsedFile:
    """Everything one uploaded file holds: its activities and what was dropped on the way."""

    file_format: str
    activities: list[ParsedActivity]
    warnings: list[str] = field(default_factory=list)
