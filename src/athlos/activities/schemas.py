"""Request and response bodies of the activities API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

Visibility = Literal["everyone", "followers", "only_me"]
# The ids of ``vocabulary.sports.SPORTS``, spelt out so the OpenAPI schema lists them (a test keeps
# them equal).
SportId = Literal[
    "run",
    "trail_run",
    "walk",
    "hike",
    "ride",
    "virtual_ride",
    "pool_swim",
    "open_water_swim",
    "yoga",
    "strength",
    "ski",
    "paddle",
    "other",
    "multisport",
]

MAX_DURATION_S = 14 * 24 * 3600
# Text every database can store: no NUL characters (PostgreSQL refuses them).
TEXT = r"^[^\x00]*$"


class LegOut(BaseModel):
    """One leg of a multisport activity, in order."""

    sport: str = Field(description="A sport id, or `transition` between two legs")
    start_time: datetime
    distance_m: float | None
    elapsed_time_s: float | None
    moving_time_s: float | None
    elevation_gain_m: float | None
    elevation_loss_m: float | None
    avg_heart_rate: float | None
    max_heart_rate: float | None
    calories: float | None
    first_sample: int = Field(description="Its first sample in the activity's streams")
    end_sample: int = Field(description="The sample after its last")


class ActivityOut(BaseModel):
    """An activity: who and how it is shared, and the same summary keys as ``athlos inspect``."""

    id: uuid.UUID
    owner_id: uuid.UUID
    title: str
    description: str
    visibility: Visibility
    sport: str
    start_time: datetime
    time_zone: str | None = Field(
        description="IANA time zone of the clock where it started (its start point's, else the owner's)"
    )
    distance_m: float | None
    elapsed_time_s: float | None
    moving_time_s: float | None
    elevation_gain_m: float | None
    avg_heart_rate: float | None
    max_heart_rate: float | None
    calories: float | None
    points: int
    source: str
    warnings: list[str]
    manual: bool
    perceived_effort: int | None
    has_original: bool
    splits: dict[str, list[dict[str, Any]]] = Field(description="Per-km and per-mile splits")
    laps: list[dict[str, Any]]
    best_efforts: dict[str, Any]
    legs: list[LegOut] = Field(description="A multisport activity's legs in order; empty for one sport")
    start_lat: float | None = Field(
        description="Where it started, to about 100 m; none for others when inside the owner's privacy zones"
    )
    start_lon: float | None
    created_at: datetime
    updated_at: datetime


class ActivityListItem(BaseModel):
    id: uuid.UUID
    owner_id: uuid.UUID
    title: str
    visibility: Visibility
    sport: str
    start_time: datetime
    distance_m: float | None
    moving_time_s: float | None
    elevation_gain_m: float | None
    manual: bool


class ManualActivityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sport: SportId
    start_time: AwareDatetime
    duration_s: float = Field(gt=0, le=MAX_DURATION_S)
    distance_m: float | None = Field(default=None, ge=0, le=5_000_000)
    elevation_gain_m: float | None = Field(default=None, ge=0, le=100_000)
    avg_heart_rate: float | None = Field(default=None, ge=20, le=250)
    calories: float | None = Field(default=None, ge=0, le=100_000)
    weight_kg: float | None = Field(default=None, ge=20, le=400, description="For the calorie estimate")
    perceived_effort: int | None = Field(default=None, ge=1, le=10)
    title: str | None = Field(default=None, max_length=200, pattern=TEXT)
    notes: str = Field(default="", max_length=10_000, pattern=TEXT)
    visibility: Visibility | None = Field(default=None, description="Empty: the owner's profile default")


class ActivityPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, min_length=1, max_length=200, pattern=TEXT)
    description: str | None = Field(default=None, max_length=10_000, pattern=TEXT)
    sport: SportId | None = None
    visibility: Visibility | None = None
    start_time: AwareDatetime | None = Field(default=None, description="When it started (any offset)")


Channel = list[float | None] | None


class StreamsOut(BaseModel):
    """An activity's samples, evenly thinned to ``resolution`` at most. Every list has one value per
    returned sample, ``null`` where nothing was recorded (or a position is hidden by a privacy zone);
    a channel never recorded is ``null`` as a whole."""

    activity_id: uuid.UUID
    points: int = Field(description="Samples recorded")
    resolution: int = Field(description="Samples returned")
    time: list[float | None] = Field(description="Seconds from the first sample")
    distance: Channel = Field(description="Metres from the start")
    lat: Channel
    lon: Channel
    altitude: Channel = Field(description="Metres")
    heart_rate: Channel = Field(description="Beats per minute")
    cadence: Channel
    power: Channel = Field(description="Watts")
    speed: Channel = Field(description="Metres per second")
    pace: Channel = Field(description="Seconds per kilometre, while moving")
