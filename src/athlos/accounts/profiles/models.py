"""The table of a person's profile and privacy settings."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Final

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from athlos.core.db import Base, utcnow

USERS_ID: Final = "accounts_user.id"
VISIBILITIES: Final = ("everyone", "followers", "only_me")


class Profile(Base):
    """One per user, created on first read; every field optional except the privacy settings."""

    __tablename__ = "accounts_profile"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(USERS_ID, ondelete="CASCADE"), primary_key=True)
    # File name of the re-encoded avatar under <data_dir>/avatars/, or None.
    avatar: Mapped[str | None] = mapped_column(String(200))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    sex: Mapped[str | None] = mapped_column(String(16))
    weight_kg: Mapped[float | None] = mapped_column(Float)
    height_cm: Mapped[float | None] = mapped_column(Float)
    resting_heart_rate: Mapped[int | None] = mapped_column(Integer)
    max_heart_rate: Mapped[int | None] = mapped_column(Integer)
    country: Mapped[str | None] = mapped_column(String(2))
    region: Mapped[str | None] = mapped_column(String(10))
    city: Mapped[str | None] = mapped_column(String(100))
    time_zone: Mapped[str | None] = mapped_column(String(64))
    units: Mapped[str] = mapped_column(String(10), default="metric")
    language: Mapped[str] = mapped_column(String(2), default="en")
    goals: Mapped[str] = mapped_column(Text, default="")
    favourite_sports: Mapped[list[str]] = mapped_column(JSON, default=list)
    profile_visibility: Mapped[str] = mapped_column(String(16), default="everyone")
    default_activity_visibility: Mapped[str] = mapped_column(String(16), default="everyone")
    in_regional_comparisons: Mapped[bool] = mapped_column(Boolean, default=False)
    # Whether following this person takes their approval (a request) instead of happening at once.
    approve_followers: Mapped[bool] = mapped_column(Boolean, default=False)
    marketing_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
