"""Fair play's verdict on each activity and the flags people raise about others' activities."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Final

from sqlalchemy import Boolean, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from athlos.core.db import Base, UUIDPrimaryKey, utcnow

USERS_ID: Final = "accounts_user.id"
# What an activity is: counted (eligible, cleared_by_staff) or kept out, with why.
ELIGIBILITIES: Final = ("eligible", "implausible_speed", "manual", "flagged", "cleared_by_staff")
COUNTED: Final = ("eligible", "cleared_by_staff")
# A flag is open until staff clear the activity or confirm the flag.
FLAG_STATUSES: Final = ("open", "cleared", "confirmed")


class Verdict(Base):
    """Whether an activity counts in leaderboards, challenges and races, and why not.

    ``staff_decision`` (``cleared`` or ``confirmed``) is what staff decided on its flags; it outlasts
    later edits of the activity."""

    __tablename__ = "gamification_fair_play"
    __table_args__ = (Index("ix_gamification_fair_play_owner", "owner_id", "eligibility"),)

    activity_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(USERS_ID, ondelete="CASCADE"))
    sport: Mapped[str] = mapped_column(String(32))
    eligibility: Mapped[str] = mapped_column(String(24))
    manual: Mapped[bool] = mapped_column(Boolean, default=False)
    # The speed that was judged (m/s) and, when too fast, the sport's limit it went over.
    speed_mps: Mapped[float | None] = mapped_column(Float)
    limit_mps: Mapped[float | None] = mapped_column(Float)
    staff_decision: Mapped[str | None] = mapped_column(String(16))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Flag(UUIDPrimaryKey, Base):
    """``reporter_id`` says another person's activity was not done as recorded; one flag per person."""

    __tablename__ = "gamification_fair_play_flag"
    __table_args__ = (
        UniqueConstraint("activity_id", "reporter_id"),
        Index("ix_gamification_fair_play_flag_open", "status", "created_at"),
    )

    activity_id: Mapped[uuid.UUID] = mapped_column(index=True)
    reporter_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(USERS_ID, ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    reviewed_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(USERS_ID, ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None]
