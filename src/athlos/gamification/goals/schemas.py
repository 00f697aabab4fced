"""Bodies of the goals API."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Metric = Literal["distance", "time", "elevation", "count"]
GoalPeriod = Literal["week", "month", "year", "by_date"]
Status = Literal["reached", "on_track", "behind", "missed"]


class GoalIn(BaseModel):
    """A goal to set. ``target`` is in metres (distance, elevation), seconds (time) or activities
    (count); ``due_date`` is the last day of a ``by_date`` goal and is not given for the others."""

    model_config = ConfigDict(extra="forbid")

    metric: Metric
    sport: str | None = Field(default=None, max_length=32, description="None: every sport counts")
    period: GoalPeriod
    target: float = Field(gt=0, le=1_000_000_000)
    due_date: date | None = None


class GoalPatch(BaseModel):
    """A goal's new target, sport or last day; what is not given stays."""

    model_config = ConfigDict(extra="forbid")

    sport: str | None = Field(default=None, max_length=32)
    target: float | None = Field(default=None, gt=0, le=1_000_000_000)
    due_date: date | None = None


class GoalOut(BaseModel):
    id: uuid.UUID
    metric: Metric
    sport: str | None
    period: GoalPeriod
    target: float
    due_date: date | None
    created_at: datetime
    # The period shown: the current week, month or year, or the goal's whole span.
    start: date
    end: date
    value: float
    share: float = Field(description="Done over target, at most 1")
    expected: float = Field(description="What the pace to the target would have done by yesterday")
    status: Status


class GoalsOut(BaseModel):
    items: list[GoalOut]
