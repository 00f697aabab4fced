"""How many points an activity's effort is worth, the daily cap, and the levels they lead to.

Effort is minutes × intensity. Intensity is a metabolic equivalent (MET) over ``REFERENCE_MET``: from the
average heart rate's place between the person's resting and maximum heart rate (heart rate reserve,
which tracks the share of aerobic capacity in use) when both are known, else the sport's MET from the
sports catalogue. So an hour of yoga earns about 25 points and an hour's steady run about 100.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Final

from athlos.vocabulary.sports import get_sport

# One point a minute at this MET (a brisk effort).
REFERENCE_MET: Final = 6.0
# The MET of a person working at their maximum heart rate (an average adult's aerobic capacity).
PEAK_MET: Final = 12.0
# Points a person may earn on one local day, however many activities they log.
DAILY_CAP: Final = 300
# What is assumed when the profile knows no resting heart rate.
DEFAULT_RESTING_HEART_RATE: Final = 60

# Points needed for each level, published on the levels page: level 1 from 0 points, level 2 from 100...
LEVEL_THRESHOLDS: Final[tuple[int, ...]] = (
    0,
    100,
    250,
    500,
    1_000,
    1_750,
    2_750,
    4_000,
    6_000,
    8_500,
    12_000,
    16_000,
    21_000,
    27_000,
    35_000,
    45_000,
    57_000,
    72_000,
    90_000,
    110_000,
)


@dataclass(frozen=True, slots=True)
class HeartRates:
    """What the person's profile says of their heart; ``maximum`` from age when not measured."""

    resting: int | None
    maximum: int | None

    @classmethod
    def of(cls, resting: int | None, maximum: int | None, birth_year: int | None, year: int) -> HeartRates:
        if maximum is None and birth_year is not None and 0 < year - birth_year < 120:
            maximum = 220 - (year - birth_year)
        return cls(resting if resting is not None else DEFAULT_RESTING_HEART_RATE, maximum)


def intensity_met(sport: str, avg_heart_rate: float | None, hearts: HeartRates) -> float:
    """The effort's MET: from the heart rate reserve when it can be placed, else the sport's."""
    resting, maximum = hearts.resting, hearts.maximum
    if avg_heart_rate and resting is not None and maximum is not None and maximum > resting:
        reserve = min(max((avg_heart_rate - resting) / (maximum - resting), 0.0), 1.0)
        return 1.0 + reserve * (PEAK_MET - 1.0)
    return get_sport(sport).met


def effort_points(sport: str, seconds: float, avg_heart_rate: float | None, hearts: HeartRates) -> int:
    """The points an activity's effort is worth before the daily cap."""
    minutes = max(seconds, 0.0) / 60.0
    return round(minutes * intensity_met(sport, avg_heart_rate, hearts) / REFERENCE_MET)


def capped(efforts: list[int], cap: int = DAILY_CAP) -> list[int]:
    """The points each of a day's activities (in start order) earns: earlier ones fill the cap first."""
    left = cap
    awarded = []
    for effort in efforts:
        points = min(max(effort, 0), left)
        awarded.append(points)
        left -= points
    return awarded


def level_of(points: int) -> int:
    """The level a balance of points reaches (1 for none)."""
    return max(bisect_right(LEVEL_THRESHOLDS, points), 1)


@dataclass(frozen=True, slots=True)
class LevelProgress:
    level: int
    points: int
    floor: int
    next_threshold: int | None

    @property
    def share(self) -> float:
        """How far from this level's threshold to the next one (1.0 at the top level)."""
        if self.next_threshold is None:
            return 1.0
        return (self.points - self.floor) / (self.next_threshold - self.floor)


def progress_of(points: int) -> LevelProgress:
    level = level_of(points)
    following = LEVEL_THRESHOLDS[level] if level < len(LEVEL_THRESHOLDS) else None
    return LevelProgress(level, points, LEVEL_THRESHOLDS[level - 1], following)
