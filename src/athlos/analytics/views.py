"""What the progress page draws, worked out on the server: the distance chart, the calendar heat map,
and numbers in the page's language. Pure functions, no I/O."""

from __future__ import annotations

import bisect
import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from babel.dates import format_date
from babel.numbers import get_decimal_symbol, get_group_symbol
from markupsafe import Markup, escape

CHART_WIDTH = 360
CHART_HEIGHT = 140
CHART_LABEL_SPACE = 18
HEAT_LEVELS = 4


@functools.cache
def _symbols(locale: str) -> dict[int, str]:
    return str.maketrans({",": get_group_symbol(locale), ".": get_decimal_symbol(locale)})


def number(value: float, digits: int, locale: str) -> str:
    """``value`` with ``digits`` decimals and the locale's separators (Babel's own formatting is too
    slow for the hundreds of numbers a page shows)."""
    return f"{value:,.{digits}f}".translate(_symbols(locale))


def km(metres: float, locale: str) -> str:
    return number(metres / 1000.0, 1, locale)


def duration(seconds: float) -> str:
    """``1:02:03`` or ``45:10``."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def effort_value(effort: str, value: float, locale: str) -> str:
    """A record as shown: watts for power, a time for distances."""
    if effort.startswith("power_"):
        return f"{number(value, 0, locale)} W"
    return duration(value)


def percent(value: float | None, locale: str) -> str | None:
    if value is None:
        return None
    shown = number(abs(value), 1, locale)
    return (shown[:-2] if shown.endswith("0") else shown) + " %"


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    title: str
    current: bool


def chart(series: Sequence[Mapping[str, Any]], period: str, locale: str) -> list[Bar]:
    """Bars of distance per period, oldest left, scaled to the highest; the last one is the current."""
    if not series:
        return []
    top = max(float(p["distance_m"]) for p in series) or 1.0
    slot = CHART_WIDTH / len(series)
    plot = CHART_HEIGHT - CHART_LABEL_SPACE
    bars = []
    for i, point in enumerate(series):
        start: date = point["start"]
        height = plot * float(point["distance_m"]) / top
        if period == "year":
            label = str(start.year)
        elif period == "month":
            label = format_date(start, "LLL", locale=locale)
        else:
            label = format_date(start, "d.MM", locale=locale)
        bars.append(
            Bar(
                x=round(i * slot + slot * 0.15, 1),
                y=round(plot - height, 1),
                width=round(slot * 0.7, 1),
                height=round(max(height, 0.0), 1),
                label=label,
                title=f"{label}: {km(float(point['distance_m']), locale)} km",
                current=i == len(series) - 1,
            )
        )
    return bars


@dataclass(slots=True)
class Cell:
    day: date
    level: int
    title: str
    in_year: bool


def heat_map(year: int, days: Sequence[Mapping[str, Any]], locale: str) -> list[list[Cell]]:
    """The year as columns of weeks (Monday first), each day's level 0–4 by its moving time among the
    person's active days of the year (quartiles)."""
    by_day = {d["date"]: d for d in days}
    times = sorted(float(d["moving_time_s"]) or 1.0 for d in days)

    def level(seconds: float) -> int:
        if not times:
            return 0
        rank = bisect.bisect_right(times, seconds) / len(times)
        return max(1, min(HEAT_LEVELS, math.ceil(rank * HEAT_LEVELS)))

    first = date(year, 1, 1)
    day = first - timedelta(days=first.weekday())
    weeks: list[list[Cell]] = []
    while day.year <= year or day.weekday() != 0:
        if day.weekday() == 0:
            weeks.append([])
        found = by_day.get(day)
        if found:
            shown = day.isoformat()
            seconds = float(found["moving_time_s"])
            title = f"{shown}: {km(float(found['distance_m']), locale)} km, {duration(seconds)}"
            weeks[-1].append(Cell(day, level(seconds or 1.0), title, day.year == year))
        else:
            weeks[-1].append(Cell(day, 0, "", day.year == year))
        day += timedelta(days=1)
    return weeks


def heat_map_html(weeks: Sequence[Sequence[Cell]]) -> Markup:
    """The heat map's columns of days, written at once (a template loop over 371 cells is slow)."""
    parts = []
    for week in weeks:
        parts.append('<div class="heat-week">')
        for cell in week:
            outside = "" if cell.in_year else " outside"
            title = f' title="{escape(cell.title)}"' if cell.title else ""
            parts.append(f'<span class="heat-day level-{cell.level}{outside}"{title}></span>')
        parts.append("</div>")
    return Markup("".join(parts))  # noqa: S704 - every outside text in it is escaped
