"""Bodies of the challenges API."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ChallengeMetric = Literal["distance", "time", "elevation", "count", "streak"]
Audience = Literal["everyone", "country", "region", "club"]


class ChallengeIn(BaseModel):
    """A challenge to set. ``target`` is in metres (distance, elevation), seconds (time), activities
    (count) or days in a row (streak); ``country``/``region`` for those audiences, ``club_id`` for a club."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=3, max_length=120)
    description: str = Field(default="", max_length=2000)
    metric: ChallengeMetric
    sport: str | None = Field(default=None, max_length=32, description="None: every sport counts")
    target: float = Field(gt=0, le=1_000_000_000)
    start_date: date
    end_date: date
    audience: Audience = "everyone"
    country: str | None = Field(default=None, min_length=2, max_length=2)
    region: str | None = Field(
        default=None, pattern=r"^[A-Za-z]{2}-[A-Za-z0-9]{1,3}$", description="ISO 3166-2, as DE-BY"
    )
    club_id: uuid.UUID | None = None


class ChallengeOut(BaseModel):
    id: uuid.UUID
    title: str
    description: str
    metric: ChallengeMetric
    sport: str | None
    target: float
    start_date: date
    end_date: date
    audience: Audience
    country: str | None
    region: str | None
    club_id: uuid.UUID | None
    joined: bool
    value: float | None = Field(description="What the viewer did towards it, when they joined")
    share: float | None = Field(description="Done over target, at most 1")
    completed_at: datetime | None
    participants: int


class ChallengesOut(BaseModel):
    joined: list[ChallengeOut]
    open: list[ChallengeOut] = Field(
        description="Running or coming challenges open to the viewer, not joined"
    )


class StandingOut(BaseModel):
    rank: int
    user_id: uuid.UUID
    display_name: str
    value: float
    completed_at: datetime | None


class LeaderboardOut(BaseModel):
    items: list[StandingOut]
