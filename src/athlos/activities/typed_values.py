"""What people type into the activity forms, read into the API's values: a duration (``1:05:00``,
``45:00`` or minutes), a number with either decimal mark, and a local date and time on a given clock.

Each reader answers the value, or ``Message`` naming what to type instead; an empty field is ``None``.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time
from typing import Final

from athlos.activities.local_time import UTC_ZONE, known_zone
from athlos.web.forms import FILL_IN, N_, TYPE_MESSAGES, Message

DURATION_FORMAT: Final = N_("Enter a duration such as 45:00 or 1:05:00.")
DURATION: Final = re.compile(r"^(?:(\d{1,3}):)?(\d{1,4})(?::(\d{1,2}))?$")


def read_number(text: str | None) -> float | Message | None:
    """``12.5`` or ``12,5``; None when empty."""
    text = (text or "").strip().replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return Message(TYPE_MESSAGES["float_parsing"])
    return value if math.isfinite(value) else Message(TYPE_MESSAGES["float_parsing"])


def read_duration(text: str | None) -> float | Message | None:
    """Seconds of ``h:mm:ss``, ``mm:ss`` or whole minutes; None when empty."""
    text = (text or "").strip()
    if not text:
        return None
    match = DURATION.fullmatch(text)
    if match is None:
        return Message(DURATION_FORMAT)
    hours, first, seconds = match.groups()
    if hours is None and seconds is None:  # "45": minutes
        return int(first) * 60.0
    if hours is None:  # "45:30": minutes and seconds
        minutes, secs = int(first), int(seconds)
        return Message(DURATION_FORMAT) if secs >= 60 else minutes * 60.0 + secs
    if seconds is None:  # "1:05": hours and minutes
        minutes = int(first)
        return Message(DURATION_FORMAT) if minutes >= 60 else int(hours) * 3600.0 + minutes * 60
    minutes, secs = int(first), int(seconds)
    if minutes >= 60 or secs >= 60:
        return Message(DURATION_FORMAT)
    return int(hours) * 3600.0 + minutes * 60 + secs


def read_local_time(
    day_text: str | None, clock_text: str | None, zone: str | None
) -> tuple[datetime | None, dict[str, Message]]:
    """The moment of a date (``2025-05-31``) and time (``07:30``) on the clock of ``zone`` (UTC when
    unknown), or the fields' messages."""
    errors: dict[str, Message] = {}
    day_text, clock_text = (day_text or "").strip(), (clock_text or "").strip()
    day: date | None = None
    clock: time | None = None
    if not day_text:
        errors["date"] = Message(FILL_IN)
    else:
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            errors["date"] = Message(TYPE_MESSAGES["date_parsing"])
    if not clock_text:
        errors["time"] = Message(FILL_IN)
    else:
        try:
            clock = time.fromisoformat(clock_text)
        except ValueError:
            errors["time"] = Message(TYPE_MESSAGES["time_parsing"])
    if day is None or clock is None:
        return None, errors
    return datetime.combine(day, clock.replace(tzinfo=None), tzinfo=known_zone(zone) or UTC_ZONE), errors
