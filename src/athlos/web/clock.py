"""``{{ moment | on_clock }}``: a moment as the signed-in person's clock shows it; ``{{ day | on_date }}``:
a calendar day written in the page's language ("2 Dec 2026", "2 дек. 2026 г.").

Times are stored in UTC. A page shows them in the time zone of the person's profile; without one (a
visitor, or a zone not set) the time stays in UTC and says so.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date
from jinja2 import Environment, pass_context
from jinja2.runtime import Context


def _zone(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def on_clock_of(moment: datetime, time_zone: str | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    # SQLite hands back naive datetimes; they were written in UTC.
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    zone = _zone(time_zone)
    if zone is None:
        return f"{aware.astimezone(UTC).strftime(pattern)} UTC"
    return aware.astimezone(zone).strftime(pattern)


@pass_context
def on_clock(context: Context, moment: datetime | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    if moment is None:
        return ""
    return on_clock_of(moment, getattr(context.get("user"), "time_zone", None), pattern)


@pass_context
def on_date(context: Context, day: date | None, width: str = "medium") -> str:
    if day is None:
        return ""
    return format_date(day, width, locale=context.get("locale", "en"))


def install(env: Environment) -> None:
    env.filters["on_clock"] = on_clock
    env.filters["on_date"] = on_date
