"""Answers of the points API."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class LevelOut(BaseModel):
    level: int
    points: int


class LevelsOut(BaseModel):
    levels: list[LevelOut]
    daily_cap: int


class StandingOut(BaseModel):
    points: int
    level: int
    level_points: int
    next_level_points: int | None
    daily_cap: int


class PointsEntryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    activity_id: uuid.UUID | None = Field(description="the activity; for a `challenge` entry, the challenge")
    sport: str
    local_date: date
    points: int
    reason: Literal["awarded", "corrected", "removed", "challenge", "race"]
    created_at: datetime
