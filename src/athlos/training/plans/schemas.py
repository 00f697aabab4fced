"""Bodies of the training plans API."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

Goal = Literal["5k", "10k", "half", "marathon", "yoga", "mobility", "strength"]
Level = Literal["beginner", "intermediate", "advanced"]


class PlanIn(BaseModel):
    goal: Goal
    level: Level
    target_date: date = Field(
        description="the race day, or the last day of a yoga, mobility or strength plan"
    )
    weekdays: list[int] = Field(description="days one can train, 0 = Monday … 6 = Sunday; two or more")

    @field_validator("weekdays")
    @classmethod
    def two_distinct_days(cls, value: list[int]) -> list[int]:
        days = sorted(set(value))
        if len(days) < 2 or any(not 0 <= d <= 6 for d in days):
            raise ValueError("choose two days or more, 0 (Monday) to 6 (Sunday)")
        return days


class PlanOut(BaseModel):
    id: uuid.UUID
    goal: Goal
    level: Level
    start_date: date
    target_date: date
    weekdays: list[int]
    vdot: float | None
    created_at: datetime
    workouts: int
    done: int


class TargetOut(BaseModel):
    """What a step's zone means for this person now: a pace range (seconds per km) from their VDOT, or
    else a heart-rate range (beats per minute)."""

    zone: str
    slow_s_per_km: float | None = None
    fast_s_per_km: float | None = None
    low_bpm: float | None = None
    high_bpm: float | None = None


class PlannedWorkoutOut(BaseModel):
    id: uuid.UUID
    day: date
    kind: str
    steps: list[dict[str, Any]]
    distance_m: float | None
    duration_s: float | None
    session: str | None
    activity_id: uuid.UUID | None
    done_at: datetime | None
    targets: list[TargetOut] = Field(default_factory=list)


class AdaptationOut(BaseModel):
    """This week against the last: see ``training/plans/adaptive.py`` for the rules."""

    week_start: date
    reason: Literal["first_week", "high_load", "missed", "faster", "on_track"]
    factor: float = Field(description="this week's volume as a share of the plan's")
    ease_quality: bool = Field(description="whether its hard session is an easy run instead")
    planned_last_week: int
    done_last_week: int
    vdot_from: float | None
    vdot_to: float | None
    message: str
