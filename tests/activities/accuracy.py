"""Totals computed from points held against what the devices recorded, beside gpxpy's on the same points.

Each session of each shared device file with totals (``tracks/`` and the unseen ``validation/``) is
rebuilt the way a GPX from another app would reach us: its positioned records written as a GPX (points
only, no device totals), read back and summarized from points. Sessions of a sport without GPS (a pool
swim, an indoor ride, whose positions if any are drawn on a virtual map) are summarized from their FIT
records with the device's totals ignored; gpxpy reads the GPX of their positions, when they have any.
Shared by the accuracy tests and ``bench/bench_accuracy.py``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

import gpxpy

from athlos.activities.importers.detect import parse_bytes
from athlos.activities.metrics import summarize
from athlos.activities.streams import DeviceTotals, ParsedActivity, leg_activities
from athlos.vocabulary.sports import get_sport
from tests import shared_data
from tests.activities.tracks import gpx_from_streams

FOLDERS: Final = {"tracks": shared_data.TRACKS, "validation": shared_data.VALIDATION}
METRICS: Final = ("distance", "moving", "ascent")
TOLERANCES: Final = {"distance": 0.01, "moving": 0.03, "ascent": 0.10}
MIN_ASCENT_M: Final = 50  # under this, 10 % is less than the altitude resolution of the files
# Where gpxpy and we both miss, ours may be this share of the tolerance further off (the sphere it
# measures on against our ellipsoid is a few tenths of a percent by itself).
NOT_WORSE_SLACK: Final = 0.25
_DEVICE: Final = {"distance": "distance_m", "moving": "timer_time_s", "ascent": "ascent_m"}
_SUMMARY: Final = {"distance": "distance_m", "moving": "moving_time_s", "ascent": "elevation_gain_m"}


@dataclass(frozen=True, slots=True)
class Session:
    folder: str
    name: str  # the file's path in its folder, as expected.json names it
    index: int

    @property
    def id(self) -> str:
        return f"{self.folder}/{self.name}#{self.index}"


@dataclass(frozen=True, slots=True)
class Comparison:
    device: float
    athlos: float
    gpxpy: float | None

    def error(self, value: float) -> float:
        return (value - self.device) / self.device

    @property
    def athlos_error(self) -> float:
        return self.error(self.athlos)

    @property
    def gpxpy_error(self) -> float | None:
        return None if self.gpxpy is None else self.error(self.gpxpy)

    def within(self, tolerance: float) -> bool:
        return abs(self.athlos_error) <= tolerance

    def not_worse_than_gpxpy(self, tolerance: float) -> bool:
        """Within the tolerance, or no further off than gpxpy (give or take the slack)."""
        theirs = self.gpxpy_error
        return self.within(tolerance) or (
            theirs is not None and abs(self.athlos_error) <= abs(theirs) + NOT_WORSE_SLACK * tolerance
        )


def sessions(folder: str) -> list[Session]:
    """Every session with device totals in one folder (none when its data is not there)."""
    root = FOLDERS[folder]
    if not shared_data.available(root):
        return []
    found = []
    for name, facts in json.loads((root / "expected.json").read_text()).items():
        if name.startswith("invalid/"):
            continue  # 14-record stubs of one broken file
        found.extend(Session(folder, name, index) for index in range(len(facts["device_sessions"])))
    return found


@cache
def activities(folder: str, name: str) -> list[ParsedActivity]:
    path: Path = FOLDERS[folder] / name
    # A multisport file's legs are its sessions, each measured on its own.
    return [leg for a in parse_bytes(path.read_bytes(), path.name).activities for leg in leg_activities(a)]


def device_totals(session: Session) -> DeviceTotals:
    device = activities(session.folder, session.name)[session.index].device
    assert device is not None, session
    return device


@cache
def from_points(session: Session) -> tuple[str, dict[str, object], dict[str, float] | None]:
    """How the session was rebuilt (``gpx`` or ``fit-records``), our summary from its points, and
    gpxpy's distance (``length_2d``), moving time and uphill on the GPX of its positions."""
    activity = activities(session.folder, session.name)[session.index]
    theirs = None
    if activity.streams.has_positions:
        data = gpx_from_streams(activity.streams, sport=activity.sport)
        gpx = gpxpy.parse(data.decode())
        theirs = {
            "distance": gpx.length_2d(),
            "moving": float(gpx.get_moving_data().moving_time),
            "ascent": gpx.get_uphill_downhill().uphill,
        }
        if get_sport(activity.sport).gps:
            (rebuilt,) = parse_bytes(data).activities
            rebuilt.sport = activity.sport
            return "gpx", summarize(rebuilt, from_points=True), theirs
    return "fit-records", summarize(activity, from_points=True), theirs


def comparable(session: Session, metric: str) -> str | None:
    """Why the device's figure cannot be compared in percent, or ``None`` when it can."""
    truth = getattr(device_totals(session), _DEVICE[metric])
    if truth is None or truth <= 0:
        return f"the device recorded no {metric}"
    if metric == "ascent" and truth < MIN_ASCENT_M:
        return f"the device recorded {truth} m of ascent: too little to compare in %"
    return None


def compare(session: Session, metric: str) -> Comparison:
    _, summary, theirs = from_points(session)
    value = summary[_SUMMARY[metric]]
    assert isinstance(value, int | float)
    return Comparison(
        device=float(getattr(device_totals(session), _DEVICE[metric])),
        athlos=float(value),
        gpxpy=None if theirs is None else theirs[metric],
    )
