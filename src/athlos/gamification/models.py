"""What gamification keeps of a person and of each of their activities (from activity events)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from athlos.core.db import Base, utcnow


class Player(Base):
    """A person taking part: the highest level they reached (told once) and when they were last seen."""

    __tablename__ = "gamification_player"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("accounts_user.id", ondelete="CASCADE"), primary_key=True
    )
    top_level: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ActivityRecord(Base):
    """One activity's facts as gamification counts them, with its day in the owner's time zone and the
    points it earned (its effort, less what the daily cap left no room for)."""

    __tablename__ = "gamification_activity"
    __table_args__ = (
        Index("ix_gamification_activity_owner_day", "owner_id", "local_date"),
        Index("ix_gamification_activity_owner_start", "owner_id", "start_time"),
    )

    activity_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts_user.id", ondelete="CASCADE"))
    sport: Mapped[str] = mapped_column(String(32))
    start_time: Mapped[datetime]
    # The day in the owner's time zone (goals, the daily cap, streaks) and the hour on the clock where it
    # started (early bird, night owl).
    local_date: Mapped[date] = mapped_column(Date)
    local_hour: Mapped[int] = mapped_column(SmallInteger)
    distance_m: Mapped[float] = mapped_column(Float, default=0.0)
    moving_time_s: Mapped[float] = mapped_column(Float, default=0.0)
    elevation_gain_m: Mapped[float] = mapped_column(Float, default=0.0)
    # Best times over distances (and power), as activities found them: personal record badges.
    best_efforts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    effort_points: Mapped[int] = mapped_column(Integer, default=0)
    awarded_points: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
