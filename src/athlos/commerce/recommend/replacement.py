"""Choosing a replacement for a worn item: its successor first, then similar models scored by their
attributes against the worn one and against how the person uses it (terrain from their tracks, weekly
volume, pace, body weight). Pure; every choice carries the reasons the person sees, as codes with
their values (``pages`` words them in the person's language)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final

# Elevation gain per kilometre from which running counts as hilly or off-road.
HILLY_M_PER_KM: Final = 20.0
TRAIL_SPORTS: Final = frozenset({"trail_run", "hike"})
CUSHIONING_ORDER: Final = ("minimal", "low", "medium", "high", "max")
HEAVY_KG: Final = 85.0
FAST_PACE_S_PER_KM: Final = 285.0  # 4:45 per km
HIGH_VOLUME_KM: Final = 50.0
WEEKS: Final = 8
MOST: Final = 3
RUNNING_SHOES: Final = frozenset({"road_shoes", "trail_shoes", "track_shoes"})


@dataclass(frozen=True, slots=True)
class Candidate:
    """A product as the replacement compares it."""

    id: str
    label: str
    category: str
    sports: tuple[str, ...]
    terrain: str | None
    cushioning: str | None
    drop_mm: float | None
    weight_g: float | None
    lifespan_km: float | None
    successor_id: str | None
    retired: bool
    sold_here: bool  # offered and in stock in the person's country


@dataclass(frozen=True, slots=True)
class Usage:
    """How a person uses the worn item, from the activities done with it."""

    km_per_week: float
    main_sport: str | None
    trail_share: float  # of the distance: trail sports, or hilly runs
    pace_s_per_km: float | None
    weight_kg: float | None

    @property
    def terrain(self) -> str:
        return "trail" if self.trail_share >= 0.5 else "road"


@dataclass(frozen=True, slots=True)
class Activity:
    sport: str
    start_time: datetime
    distance_m: float
    time_s: float
    elevation_gain_m: float | None


def usage_of(activities: Sequence[Activity], now: datetime, weight_kg: float | None) -> Usage:
    """Weekly volume over the last eight weeks, the main sport and terrain, and the pace of its runs."""
    recent = [a for a in activities if a.start_time >= now - timedelta(weeks=WEEKS)]
    span = recent or list(activities)
    weeks = WEEKS if recent else max((now - min(a.start_time for a in span)).days / 7, 1.0) if span else 1.0
    distance = sum(a.distance_m for a in span)
    by_sport: dict[str, float] = {}
    for a in span:
        by_sport[a.sport] = by_sport.get(a.sport, 0.0) + a.distance_m
    rough = sum(
        a.distance_m
        for a in span
        if a.sport in TRAIL_SPORTS
        or (a.distance_m > 0 and (a.elevation_gain_m or 0.0) / (a.distance_m / 1000) >= HILLY_M_PER_KM)
    )
    timed = [a for a in span if a.distance_m > 0 and a.time_s > 0]
    pace = sum(a.time_s for a in timed) / (sum(a.distance_m for a in timed) / 1000) if timed else None
    return Usage(
        km_per_week=distance / 1000 / weeks,
        main_sport=max(by_sport, key=lambda s: by_sport[s]) if by_sport else None,
        trail_share=rough / distance if distance else 0.0,
        pace_s_per_km=pace,
        weight_kg=weight_kg,
    )


@dataclass(slots=True)
class Choice:
    product: Candidate
    score: float
    reasons: list[dict[str, Any]] = field(default_factory=list)


def _cushion_rank(value: str | None) -> int | None:
    return CUSHIONING_ORDER.index(value) if value in CUSHIONING_ORDER else None


def _successor(worn: Candidate, catalogue: dict[str, Candidate]) -> Candidate | None:
    """The newest model down the successor chain that is still sold in the person's country."""
    seen = {worn.id}
    step = catalogue.get(worn.successor_id or "")
    best = None
    while step is not None and step.id not in seen:
        seen.add(step.id)
        if not step.retired and step.sold_here:
            best = step
        step = catalogue.get(step.successor_id or "")
    return best


def _score(worn: Candidate, other: Candidate, usage: Usage) -> Choice:
    choice = Choice(other, 0.0)
    trail_use = usage.terrain == "trail" and worn.category in RUNNING_SHOES
    choice.score += 2.0 if other.category == ("trail_shoes" if trail_use else worn.category) else 0.0
    wanted = "trail" if trail_use else None
    if other.terrain and (other.terrain == wanted or (wanted is None and other.terrain == worn.terrain)):
        choice.score += 1.5
        choice.reasons.append({"code": "terrain", "terrain": other.terrain})
    worn_cushion, cushion = _cushion_rank(worn.cushioning), _cushion_rank(other.cushioning)
    if worn_cushion is not None and cushion is not None:
        choice.score -= 0.5 * abs(worn_cushion - cushion)
        if usage.weight_kg and usage.weight_kg >= HEAVY_KG and cushion >= 3:
            choice.score += 1.0
            choice.reasons.append({"code": "cushioning_for_weight", "kg": round(usage.weight_kg)})
    if worn.drop_mm is not None and other.drop_mm is not None:
        choice.score -= abs(worn.drop_mm - other.drop_mm) / 4
        if abs(worn.drop_mm - other.drop_mm) <= 1:
            choice.reasons.append({"code": "same_drop", "mm": round(other.drop_mm), "gear": worn.label})
    if worn.weight_g and other.weight_g:
        choice.score -= abs(worn.weight_g - other.weight_g) / 100
        lighter = worn.weight_g - other.weight_g
        if usage.pace_s_per_km and usage.pace_s_per_km <= FAST_PACE_S_PER_KM and lighter >= 10:
            choice.score += 0.75
            choice.reasons.append({"code": "lighter", "grams": round(lighter)})
    if usage.km_per_week >= HIGH_VOLUME_KM and other.lifespan_km and other.lifespan_km >= 700:
        choice.score += 0.5
        choice.reasons.append({"code": "lasts", "km": round(other.lifespan_km)})
    return choice


def choose(
    worn: Candidate, worn_km: float, usage: Usage, catalogue: Sequence[Candidate], *, kind_of: dict[str, str]
) -> list[Choice]:
    """At most three products to replace ``worn``, sold in the person's country: its successor first,
    then the most similar models of the same kind of gear, each with its reasons."""
    by_id = {c.id: c for c in catalogue}
    first = [
        {"code": "worn", "gear": worn.label, "km": round(worn_km)},
        {
            "code": "usage",
            "km": round(usage.km_per_week),
            "sport": usage.main_sport or "",
            "terrain": usage.terrain,
        },
    ]
    chosen: list[Choice] = []
    successor = _successor(worn, by_id)
    if successor is not None:
        lead = _score(worn, successor, usage)
        lead.reasons = [*first, {"code": "successor", "gear": worn.label}, *lead.reasons]
        chosen.append(lead)
    kind = kind_of.get(worn.category)
    similar = [
        _score(worn, c, usage)
        for c in catalogue
        if c.id != worn.id
        and not c.retired
        and c.sold_here
        and kind_of.get(c.category) == kind
        and (successor is None or c.id != successor.id)
        and (
            not usage.main_sport
            or not c.sports
            or usage.main_sport in c.sports
            or c.category == worn.category
        )
    ]
    similar.sort(key=lambda c: (-c.score, c.product.label, c.product.id))
    for choice in similar[: MOST - len(chosen)]:
        choice.reasons = [*first, *choice.reasons]
        chosen.append(choice)
    return chosen
