"""Request and response bodies of privacy zones."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from athlos.activities.schemas import TEXT


class PrivacyZoneIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100, pattern=TEXT)
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    radius_m: float = Field(ge=100, le=2000, description="100 to 2,000 metres")


class PrivacyZonePatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=100, pattern=TEXT)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    radius_m: float | None = Field(default=None, ge=100, le=2000)


class PrivacyZoneOut(BaseModel):
    id: uuid.UUID
    name: str
    lat: float
    lon: float
    radius_m: float
    created_at: datetime
    updated_at: datetime
