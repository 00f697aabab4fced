"""Input and output of the club events API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from athlos.accounts.profiles.schemas import NO_NUL

Answer = Literal["going", "not_going"]


class ClubEventIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=120, pattern=r"^[^\x00]*\S[^\x00]*$")
    description: str = Field(default="", max_length=2000, pattern=NO_NUL)
    sport: str = Field(max_length=32, examples=["run"])
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    meeting_point: str = Field(default="", max_length=200, pattern=NO_NUL)
    meeting_lat: float | None = Field(default=None, ge=-90, le=90)
    meeting_lon: float | None = Field(default=None, ge=-180, le=180)
    capacity: int | None = Field(default=None, ge=1, le=10_000)


class ClubEventOut(BaseModel):
    id: uuid.UUID
    club_id: uuid.UUID
    title: str
    description: str
    sport: str
    starts_at: datetime
    ends_at: datetime
    meeting_point: str
    meeting_lat: float | None
    meeting_lon: float | None
    capacity: int | None
    going: int
    waitlisted: int
    cancelled: bool
    rsvp: Literal["going", "waitlisted", "not_going"] | None = None


class RsvpIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answer: Answer = "going"


class RsvpOut(BaseModel):
    status: Literal["going", "waitlisted", "not_going"]
