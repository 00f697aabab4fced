"""The rule kinds badges are made of: each reads a person's activities (oldest first) and the badge's
parameters, and answers with the activity that first met the rule, or None.

Pure functions in a registry: a definition names its kind (``count``, ``total``, ``time_of_day``,
``streak``, ``personal_record``...) and a kind is registered with ``@rule("name")``. Kinds whose facts
live elsewhere (a challenge finished, a club event attended) are registered and earn nothing until
their domain tells gamification about them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, Final, Protocol

from athlos.analytics import periods
from athlos.gamification.streaks.counting import longest_streak_reached, unit_start


class Fact(Protocol):
    """What a rule may read of one activity (``gamification.models.ActivityRecord`` has it)."""

    activity_id: uuid.UUID
    sport: str
    start_time: datetime
    local_date: date
    local_hour: int
    distance_m: float
    moving_time_s: float
    elevation_gain_m: float
    best_efforts: dict[str, Any]


Params = Mapping[str, Any]
Rule = Callable[[Sequence[Fact], Params], Fact | None]

RULES: dict[str, Rule] = {}
METRICS: Final = {"distance": "distance_m", "time": "moving_time_s", "elevation": "elevation_gain_m"}


def rule(kind: str) -> Callable[[Rule], Rule]:
    def register(check: Rule) -> Rule:
        if kind in RULES:
            raise ValueError(f"badge rule kind {kind!r} is registered twice")
        RULES[kind] = check
        return check

    return register


def _of_sport(facts: Sequence[Fact], params: Params) -> list[Fact]:
    sport = params.get("sport")
    return [fact for fact in facts if sport is None or fact.sport == sport]


@rule("count")
def count(facts: Sequence[Fact], params: Params) -> Fact | None:
    """``count`` activities (of ``sport``), in all or within one local ``period`` (week, month)."""
    needed = int(params["count"])
    period = params.get("period")
    seen: dict[date | None, int] = {}
    for fact in _of_sport(facts, params):
        key = periods.period_start(fact.local_date, period) if period else None
        seen[key] = seen.get(key, 0) + 1
        if seen[key] >= needed:
            return fact
    return None


@rule("total")
def total(facts: Sequence[Fact], params: Params) -> Fact | None:
    """A total of ``metric`` (distance in metres, time in seconds, elevation in metres) of ``amount``."""
    column = METRICS[str(params["metric"])]
    needed = float(params["amount"])
    sum_so_far = 0.0
    for fact in _of_sport(facts, params):
        sum_so_far += float(getattr(fact, column) or 0.0)
        if sum_so_far >= needed:
            return fact
    return None


@rule("time_of_day")
def time_of_day(facts: Sequence[Fact], params: Params) -> Fact | None:
    """``count`` activities started (on the local clock) before ``before_hour`` or from ``from_hour``."""
    before, after = params.get("before_hour"), params.get("from_hour")
    matching = [
        fact
        for fact in _of_sport(facts, params)
        if (before is not None and fact.local_hour < int(before))
        or (after is not None and fact.local_hour >= int(after))
    ]
    needed = int(params.get("count", 1))
    return matching[needed - 1] if len(matching) >= needed else None


@rule("streak")
def streak(facts: Sequence[Fact], params: Params) -> Fact | None:
    """A streak of ``length`` days or weeks (``unit``) in a row, weekly with the freeze rule."""
    chosen, unit = _of_sport(facts, params), str(params["unit"])
    reached = longest_streak_reached([fact.local_date for fact in chosen], unit, int(params["length"]))
    if reached is None:
        return None
    return next(fact for fact in chosen if unit_start(fact.local_date, unit) == reached)


def _better(effort: str, value: float, best: float) -> bool:
    # Power efforts are watts (more is better); the others are seconds over a distance.
    return value > best if effort.startswith("power_") else value < best


@rule("personal_record")
def personal_record(facts: Sequence[Fact], params: Params) -> Fact | None:
    """``count`` times an effort (of ``effort``, if named) beat every earlier one of its sport."""
    needed, only = int(params.get("count", 1)), params.get("effort")
    best: dict[tuple[str, str], float] = {}
    beaten = 0
    for fact in _of_sport(facts, params):
        for effort, value in sorted((fact.best_efforts or {}).items()):
            if only is not None and effort != only:
                continue
            key = (fact.sport, effort)
            if key in best and _better(effort, value, best[key]):
                beaten += 1
            if key not in best or _better(effort, value, best[key]):
                best[key] = value
        if beaten >= needed:
            return fact
    return None


@rule("challenge_finished")
def challenge_finished(facts: Sequence[Fact], params: Params) -> Fact | None:
    """Finishing ``count`` challenges: never met by activities; ``service.award_for_challenges`` awards it
    when challenges tell of a completion."""
    return None


@rule("race_finished")
def race_finished(facts: Sequence[Fact], params: Params) -> Fact | None:
    """Finishing ``count`` races: never met by activities; ``service.award_for_races`` awards it when
    competitions tell of a finish."""
    return None


@rule("club_event_attended")
def club_event_attended(facts: Sequence[Fact], params: Params) -> Fact | None:
    """Attending club events: earned once club events report attendance to gamification."""
    return None
