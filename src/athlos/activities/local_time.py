"""When an activity happened on the clock of the place it happened: the time zone of its start point
(an offline lookup of the world's zone borders), else the one its owner chose in their profile, else
UTC. The zone is kept with the activity at import, so its page, its list row and its automatic title
agree wherever the reader is."""

from __future__ import annotations

import threading
from datetime import datetime
from functools import cache
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from timezonefinder import TimezoneFinder

UTC_ZONE: Final = ZoneInfo("UTC")
_finder: TimezoneFinder | None = None
_finder_lock = threading.Lock()


def zone_at(lat: float | None, lon: float | None) -> str | None:
    """The IANA time zone at a position (``America/St_Johns``); ``None`` without one or at sea."""
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    global _finder
    # One finder per process, made on first use; it reads its data files, so one lookup at a time.
    with _finder_lock:
        if _finder is None:
            _finder = TimezoneFinder()
        name = _finder.timezone_at(lat=lat, lng=lon)
    return name if name and known_zone(name) else None


@cache
def known_zone(name: str | None) -> ZoneInfo | None:
    """The zone of an IANA name, ``None`` for an unknown or empty name."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def local_clock(moment: datetime, *zones: str | None) -> datetime:
    """``moment`` in the first of ``zones`` that is known, else in UTC."""
    for name in zones:
        zone = known_zone(name)
        if zone is not None:
            return moment.astimezone(zone)
    return moment.astimezone(UTC_ZONE)


def part_of_day(hour: int) -> str:
    if 5 <= hour < 12:
        return "morning"
    if 12 <= hour < 18:
        return "afternoon"
    if 18 <= hour < 22:
        return "evening"
    return "night"
