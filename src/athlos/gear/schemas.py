"""Bodies of the gear API. Distances are in metres, times in seconds."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Kind = Literal["shoes", "bike", "chain", "tyres", "skis", "other"]


class GearIn(BaseModel):
    """An item to add. ``default_for``: the sports whose new activities it is assigned to (it replaces
    the item those sports had). ``product_id`` names the brand's catalogue product, once there is one."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: Kind
    brand: str = Field(min_length=1, max_length=80)
    model: str = Field(min_length=1, max_length=120)
    product_id: str | None = Field(default=None, max_length=64)
    purchased_on: date | None = None
    starting_distance_m: float = Field(default=0.0, ge=0, le=1_000_000_000)
    wear_limit_m: float | None = Field(
        default=None, gt=0, le=1_000_000_000, description="None: the kind's default lifespan"
    )
    default_for: list[str] = Field(default_factory=list, max_length=32)


class GearPatch(BaseModel):
    """What changes; what is not given stays (``null`` clears the optional fields)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: Kind | None = None
    brand: str | None = Field(default=None, min_length=1, max_length=80)
    model: str | None = Field(default=None, min_length=1, max_length=120)
    product_id: str | None = Field(default=None, max_length=64)
    purchased_on: date | None = None
    starting_distance_m: float | None = Field(default=None, ge=0, le=1_000_000_000)
    wear_limit_m: float | None = Field(default=None, gt=0, le=1_000_000_000)
    default_for: list[str] | None = Field(default=None, max_length=32)


class GearOut(BaseModel):
    id: uuid.UUID
    kind: Kind
    brand: str
    model: str
    product_id: str | None
    purchased_on: date | None
    starting_distance_m: float
    wear_limit_m: float | None = Field(description="The item's own limit, if it has one")
    effective_wear_limit_m: float | None = Field(description="The limit its reminders use; None: no limit")
    distance_m: float = Field(description="Of its activities on Athlos")
    total_distance_m: float = Field(description="Starting distance plus its activities'")
    time_s: float
    activity_count: int
    worn_share: float | None = Field(description="Total distance over the wear limit (may exceed 1)")
    default_for: list[str]
    retired: bool
    retired_at: datetime | None
    created_at: datetime


class GearList(BaseModel):
    items: list[GearOut]


class GearSummary(BaseModel):
    """What an activity's viewers see of its gear."""

    id: uuid.UUID
    kind: Kind
    brand: str
    model: str


class AssignGearIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    gear_id: uuid.UUID | None


class ActivityGearOut(BaseModel):
    activity_id: uuid.UUID
    gear: GearSummary | None
