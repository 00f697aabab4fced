"""Bodies of the fair play API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class FlagIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=3, max_length=1000, description="Why it was not done as recorded")


class FlagOut(BaseModel):
    id: uuid.UUID
    status: str


class EligibilityOut(BaseModel):
    activity_id: uuid.UUID
    eligibility: str
    counted: bool
    speed_mps: float | None
    limit_mps: float | None


class FlaggedOut(BaseModel):
    activity_id: uuid.UUID
    owner_id: uuid.UUID | None
    sport: str | None
    eligibility: str | None
    speed_mps: float | None
    reasons: list[str]
    first_flagged_at: datetime


class FairPlayReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["cleared", "confirmed"]


class FairPlayReviewOut(BaseModel):
    settled: int
