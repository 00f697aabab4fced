"""How an activity's figures read on its page: units (metric or imperial), durations, paces, and the
names of sports, visibilities and best efforts in the page's language. Pure, no I/O.

Labels are marked with ``N_`` so the catalogs carry them; templates translate them with ``_()``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import Final

from babel.numbers import get_decimal_symbol, get_group_symbol

from athlos.activities.metrics import KM, MILE


def N_(message: str) -> str:
    """Marks a label for the catalogs; templates translate it."""
    return message


FOOT: Final = 0.3048

VISIBILITY_LABELS: Final = {
    "everyone": N_("Everyone"),
    "followers": N_("Followers"),
    "only_me": N_("Only me"),
}
EFFORT_LABELS: Final = {
    "400m": N_("400 m"),
    "1k": N_("1 km"),
    "1mile": N_("1 mile"),
    "5k": N_("5 km"),
    "10k": N_("10 km"),
    "half_marathon": N_("Half marathon"),
    "marathon": N_("Marathon"),
    "power_5min": N_("Best 5 min power"),
    "power_20min": N_("Best 20 min power"),
    "power_60min": N_("Best 60 min power"),
}


@dataclass(frozen=True, slots=True)
class Units:
    """Metric or imperial figures, formatted for one language."""

    imperial: bool
    locale: str

    @property
    def split_key(self) -> str:
        return "mile" if self.imperial else "km"

    @property
    def distance_unit_m(self) -> float:
        return MILE if self.imperial else KM

    def number(self, value: float, digits: int = 0) -> str:
        """``1,234.5`` with the language's separators (``1 234,5``, ``1.234,5``)."""
        group, decimal = separators(self.locale)
        text = f"{value:,.{digits}f}"
        return text.replace(",", "\0").replace(".", decimal).replace("\0", group)

    def distance(self, metres: float | None, digits: int = 2) -> str | None:
        """Kilometres or miles, without the unit."""
        if metres is None or not math.isfinite(metres):
            return None
        return self.number(metres / self.distance_unit_m, digits)

    def elevation(self, metres: float | None) -> str | None:
        """Metres or feet, without the unit."""
        if metres is None or not math.isfinite(metres):
            return None
        return self.number(metres / FOOT if self.imperial else metres)

    def pace(self, seconds_per_km: float | None) -> str | None:
        """``m:ss`` per kilometre or mile."""
        if seconds_per_km is None or not math.isfinite(seconds_per_km) or seconds_per_km <= 0:
            return None
        return duration(seconds_per_km * self.distance_unit_m / KM)

    def speed(self, metres_per_second: float | None) -> str | None:
        """km/h or mph, without the unit."""
        if metres_per_second is None or not math.isfinite(metres_per_second):
            return None
        return self.number(metres_per_second * 3600 / self.distance_unit_m, 1)


@cache
def separators(locale: str) -> tuple[str, str]:
    """The language's group and decimal separators (looked up once: Babel's lookups are slow)."""
    return get_group_symbol(locale=locale), get_decimal_symbol(locale=locale)


def duration(seconds: float | None) -> str | None:
    """``h:mm:ss``, or ``m:ss`` under an hour."""
    if seconds is None or not math.isfinite(seconds):
        return None
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
