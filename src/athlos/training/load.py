"""Training load: Banister's TRIMP per activity, fitness (CTL), fatigue (ATL) and form. Pure."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final, Literal

DEFAULT_RESTING_HR: Final = 60
DEFAULT_MAX_HR: Final = 190
FITNESS_DAYS: Final = 42
FATIGUE_DAYS: Final = 7
# Below threshold pace the heart works at about this share of its reserve.
THRESHOLD_HRR: Final = 0.85
HIGH_RATIO: Final = 1.5
LOW_RATIO: Final = 0.8

Sex = Literal["male", "female"]
Basis = Literal["heart_rate", "pace", "effort", "sport"]


def trimp(minutes: float, reserve: float, sex: Sex) -> float:
    """Banister's TRIMP: minutes × HRr × 0.64·e^(1.92·HRr) (men) or 0.86·e^(1.67·HRr) (women)."""
    hrr = min(max(reserve, 0.0), 1.0)
    weight = 0.86 * math.exp(1.67 * hrr) if sex == "female" else 0.64 * math.exp(1.92 * hrr)
    return minutes * hrr * weight


def heart_rate_reserve(avg_hr: float, resting: float, maximum: float) -> float:
    return (avg_hr - resting) / (maximum - resting) if maximum > resting else 0.0


def effort_reserve(perceived_effort: int) -> float:
    """A perceived effort of 1..10 read as a share of the heart-rate reserve (1 → 0.35, 10 → 0.9)."""
    return 0.35 + (min(max(perceived_effort, 1), 10) - 1) * (0.55 / 9)


def met_reserve(met: float) -> float:
    """A sport's MET value read as a share of the heart-rate reserve (light 3 → 0.4, hard 12 → 0.85)."""
    return min(max(0.25 + 0.05 * met, 0.3), 0.9)


@dataclass(frozen=True, slots=True)
class Workout:
    day: date
    minutes: float
    sport: str
    met: float
    avg_hr: float | None = None
    distance_m: float | None = None
    perceived_effort: int | None = None


@dataclass(frozen=True, slots=True)
class Physiology:
    resting_hr: float = DEFAULT_RESTING_HR
    max_hr: float = DEFAULT_MAX_HR
    sex: Sex = "male"
    threshold_m_per_min: float | None = None


def workout_load(workout: Workout, body: Physiology) -> tuple[float, Basis]:
    """The TRIMP of one workout and what it was computed from: heart rate, else running pace against
    threshold pace, else the perceived effort, else the sport's MET value."""
    if workout.minutes <= 0:
        return 0.0, "sport"
    if workout.avg_hr:
        reserve = heart_rate_reserve(workout.avg_hr, body.resting_hr, body.max_hr)
        return trimp(workout.minutes, reserve, body.sex), "heart_rate"
    if workout.sport == "run" and workout.distance_m and body.threshold_m_per_min:
        velocity = workout.distance_m / workout.minutes
        reserve = THRESHOLD_HRR * velocity / body.threshold_m_per_min
        return trimp(workout.minutes, reserve, body.sex), "pace"
    if workout.perceived_effort:
        return trimp(workout.minutes, effort_reserve(workout.perceived_effort), body.sex), "effort"
    return trimp(workout.minutes, met_reserve(workout.met), body.sex), "sport"


@dataclass(frozen=True, slots=True)
class LoadDay:
    date: date
    load: float
    fitness: float
    fatigue: float
    form: float

    def as_dict(self) -> dict[str, object]:
        return {
            "date": self.date,
            "load": round(self.load, 1),
            "fitness": round(self.fitness, 1),
            "fatigue": round(self.fatigue, 1),
            "form": round(self.form, 1),
        }


def load_series(daily: dict[date, float], first: date, last: date) -> list[LoadDay]:
    """Fitness and fatigue as exponentially weighted averages of the daily load, each day
    ``x += (load − x) / N`` with N = 42 and 7, starting from zero at ``first``; form is the previous
    day's fitness minus its fatigue (what one brings into the day)."""
    fitness = fatigue = 0.0
    days = []
    day = first
    while day <= last:
        load = daily.get(day, 0.0)
        form = fitness - fatigue
        fitness += (load - fitness) / FITNESS_DAYS
        fatigue += (load - fatigue) / FATIGUE_DAYS
        days.append(LoadDay(day, load, fitness, fatigue, form))
        day += timedelta(days=1)
    return days


def acute_chronic_ratio(day: LoadDay) -> float | None:
    return day.fatigue / day.fitness if day.fitness > 0.5 else None


def ratio_advice(ratio: float | None) -> Literal["high", "low", "steady"] | None:
    if ratio is None:
        return None
    if ratio > HIGH_RATIO:
        return "high"
    if ratio < LOW_RATIO:
        return "low"
    return "steady"
