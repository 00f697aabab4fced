"""Input and output of the profile API."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Visibility = Literal["everyone", "followers", "only_me"]
# Text fields refuse NUL characters, which PostgreSQL cannot store.
NO_NUL = r"^[^\x00]*$"


class ProfileIn(BaseModel):
    """A partial update: only the fields sent change; ``null`` clears an optional field."""

    model_config = ConfigDict(extra="forbid")

    display_name: str | None = Field(
        default=None, min_length=1, max_length=100, pattern=r"^[^\x00]*\S[^\x00]*$"
    )
    birth_year: int | None = Field(default=None, ge=1900, le=2100)
    sex: Literal["female", "male", "other"] | None = None
    weight_kg: float | None = Field(default=None, ge=20, le=400)
    height_cm: float | None = Field(default=None, ge=50, le=260)
    resting_heart_rate: int | None = Field(default=None, ge=20, le=150)
    max_heart_rate: int | None = Field(default=None, ge=80, le=250)
    country: str | None = Field(default=None, pattern=r"^[A-Za-z]{2}$", examples=["DE"])
    region: str | None = Field(default=None, pattern=r"^[A-Za-z]{2}-[A-Za-z0-9]{1,3}$", examples=["DE-BY"])
    city: str | None = Field(default=None, max_length=100, pattern=NO_NUL)
    time_zone: str | None = Field(default=None, max_length=64, examples=["Europe/Berlin"])
    units: Literal["metric", "imperial"] | None = None
    language: Literal["en", "ru", "de"] | None = None
    goals: str | None = Field(default=None, max_length=2000, pattern=NO_NUL)
    favourite_sports: list[str] | None = Field(default=None, max_length=20)
    profile_visibility: Visibility | None = None
    default_activity_visibility: Visibility | None = None
    in_regional_comparisons: bool | None = None
    marketing_consent: bool | None = None
    approve_followers: bool | None = None


class ProfileOut(BaseModel):
    user_id: uuid.UUID
    display_name: str
    avatar_url: str | None
    birth_year: int | None
    sex: str | None
    weight_kg: float | None
    height_cm: float | None
    resting_heart_rate: int | None
    max_heart_rate: int | None
    country: str | None
    region: str | None
    city: str | None
    time_zone: str | None
    units: str
    language: str
    goals: str
    favourite_sports: list[str]
    profile_visibility: str
    default_activity_visibility: str
    in_regional_comparisons: bool
    marketing_consent: bool
    approve_followers: bool


class PublicProfileOut(BaseModel):
    """What others may see of a profile they are allowed to see: no body data, no settings."""

    id: uuid.UUID
    display_name: str
    avatar_url: str | None
    country: str | None
    region: str | None
    city: str | None
    favourite_sports: list[str]
