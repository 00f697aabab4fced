"""The points history: every change of a person's points is a new row, corrections included."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from athlos.core.db import Base, BigIntPK, utcnow


class PointsEntry(Base):
    """Points given (positive) or taken back (negative) for one activity; the sum is the balance."""

    __tablename__ = "gamification_points_entry"
    __table_args__ = (Index("ix_gamification_points_entry_owner", "owner_id", "id"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts_user.id", ondelete="CASCADE"))
    # No foreign key: the entry outlives a deleted activity, as its correction does. For a ``challenge``
    # entry, the challenge completed; for a ``race`` entry, the race finished.
    activity_id: Mapped[uuid.UUID | None]
    sport: Mapped[str] = mapped_column(String(32))
    local_date: Mapped[date] = mapped_column(Date)
    points: Mapped[int] = mapped_column(Integer)
    # "awarded" the first time, "corrected" after an edit or a change of the day's cap, "removed" on deletion;
    # "challenge" for completing one, "race" for finishing one.
    reason: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
