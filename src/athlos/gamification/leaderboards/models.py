"""What the leaderboards count: each activity's share (so an edit or deletion is a recount), and each
person's totals per sport and period, with the profile facts the boards are scoped by."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Final

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from athlos.core.db import Base, utcnow

USERS_ID: Final = "accounts_user.id"
LISTED: Final[dict[str, Any]] = {"postgresql_where": text("listed"), "sqlite_where": text("listed")}


class LeaderboardActivity(Base):
    """One activity as the leaderboards see it: its figures, its ISO week and calendar month (UTC), and
    whether it counts (public, fair play's verdict, recorded rather than typed in)."""

    __tablename__ = "gamification_leaderboard_activity"
    __table_args__ = (Index("ix_gamification_leaderboard_activity_owner", "owner_id", "sport"),)

    activity_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(USERS_ID, ondelete="CASCADE"))
    sport: Mapped[str] = mapped_column(String(32))
    week: Mapped[str] = mapped_column(String(10))
    month: Mapped[str] = mapped_column(String(10))
    distance_m: Mapped[float] = mapped_column(Float, default=0.0)
    moving_time_s: Mapped[float] = mapped_column(Float, default=0.0)
    elevation_gain_m: Mapped[float] = mapped_column(Float, default=0.0)
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded: Mapped[bool] = mapped_column(Boolean, default=False)
    counted: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class LeaderboardTotal(Base):
    """A person's totals of counted activities in one sport and period (``all``, ``w2026-49``,
    ``m2026-12``), and where they stand: ``listed`` (a public profile and a verified address), the
    country, region, age group and sex their profile gives. A row exists only while something counts."""

    __tablename__ = "gamification_leaderboard_total"
    # Boards read only listed people: partial indexes over them, so a rank is an index-only count.
    __table_args__ = (
        Index(
            "ix_gamification_leaderboard_total_distance", "sport", "period", "distance_m", "user_id", **LISTED
        ),
        Index(
            "ix_gamification_leaderboard_total_time", "sport", "period", "moving_time_s", "user_id", **LISTED
        ),
        Index(
            "ix_gamification_leaderboard_total_elevation",
            "sport",
            "period",
            "elevation_gain_m",
            "user_id",
            **LISTED,
        ),
        # The country boards of distance, the ones most asked for after everyone's.
        Index(
            "ix_gamification_leaderboard_total_country",
            "sport",
            "period",
            "country",
            "distance_m",
            "user_id",
            **LISTED,
        ),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(USERS_ID, ondelete="CASCADE"), primary_key=True)
    sport: Mapped[str] = mapped_column(String(32), primary_key=True)
    period: Mapped[str] = mapped_column(String(10), primary_key=True)
    distance_m: Mapped[float] = mapped_column(Float, default=0.0)
    moving_time_s: Mapped[float] = mapped_column(Float, default=0.0)
    elevation_gain_m: Mapped[float] = mapped_column(Float, default=0.0)
    activity_count: Mapped[int] = mapped_column(Integer, default=0)
    listed: Mapped[bool] = mapped_column(Boolean, default=False)
    country: Mapped[str | None] = mapped_column(String(2))
    region: Mapped[str | None] = mapped_column(String(10))
    age_group: Mapped[str | None] = mapped_column(String(8))
    sex: Mapped[str | None] = mapped_column(String(16))
