"""Request and response bodies of live recordings."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Final, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from athlos.activities.schemas import SportId, Visibility

MAX_BATCH_POINTS: Final = 1000
MAX_SEQ: Final = 1_000_000_000
RecordingStatus = Literal["recording", "paused", "finished"]
# Epoch seconds; whether a time is sane for this recording is decided by the service.
EpochSeconds = Annotated[float, Field(ge=0, le=1e11, allow_inf_nan=False)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RecordingStart(Strict):
    sport: SportId
    # A client may choose the id itself, so that starting again (a retry, or a start queued while
    # offline) finds the same recording instead of making a second one.
    id: uuid.UUID | None = None
    started_at: AwareDatetime | None = Field(None, description="When the athlete pressed start; default now")
    visibility: Visibility | None = Field(None, description="Default: the one chosen in the profile")


class PointIn(Strict):
    t: EpochSeconds = Field(description="Time of the fix, seconds since 1970-01-01 UTC")
    lat: float = Field(ge=-90, le=90, allow_inf_nan=False)
    lon: float = Field(ge=-180, le=180, allow_inf_nan=False)
    alt: float | None = Field(None, ge=-500, le=9000, allow_inf_nan=False, description="Metres")
    hr: float | None = Field(None, ge=20, le=260, allow_inf_nan=False, description="Beats per minute")
    accuracy: float | None = Field(None, ge=0, le=100_000, allow_inf_nan=False, description="Metres")


class PointBatch(Strict):
    seq: int = Field(ge=0, le=MAX_SEQ, description="The batch's number; a number sent again changes nothing")
    points: list[PointIn] = Field(max_length=MAX_BATCH_POINTS)


class RecordingMoment(Strict):
    at: EpochSeconds | None = Field(None, description="When it happened on the recorder; default now")


class RecordingOut(BaseModel):
    id: uuid.UUID
    sport: str
    visibility: str
    status: RecordingStatus
    started_at: datetime
    points: int
    batches: int
    paused_s: float
    pauses: list[list[float]]
    paused_since: float | None
    laps: list[float] = Field(description="When each lap after the first began, epoch seconds")
    activity_id: uuid.UUID | None
    device_id: uuid.UUID | None
    finished_at: datetime | None


class BatchAccepted(BaseModel):
    seq: int
    accepted: bool = Field(description="False when this sequence number was already received")
    points: int
    batches: int
