"""Challenges and who takes part in them, with their progress."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Final

from sqlalchemy import Date, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from athlos.core.db import Base, UUIDPrimaryKey, utcnow

USERS_ID: Final = "accounts_user.id"


class Challenge(UUIDPrimaryKey, Base):
    """``target`` of ``metric`` (metres, seconds, metres, activities or days in a row) in ``sport`` (None:
    every sport) between two days, both counted, open to ``audience``: ``everyone``, a ``country``, a
    ``region`` of a country, or the members of a ``club``."""

    __tablename__ = "gamification_challenge"
    __table_args__ = (Index("ix_gamification_challenge_end", "end_date"),)

    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    metric: Mapped[str] = mapped_column(String(16))
    sport: Mapped[str | None] = mapped_column(String(32))
    target: Mapped[float] = mapped_column(Float)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    audience: Mapped[str] = mapped_column(String(16), default="everyone")
    country: Mapped[str | None] = mapped_column(String(2))
    region: Mapped[str | None] = mapped_column(String(10))
    club_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    created_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(USERS_ID, ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Participation(Base):
    """A person taking part: what they did towards the target so far, and when they reached it."""

    __tablename__ = "gamification_challenge_participant"
    __table_args__ = (Index("ix_gamification_challenge_participant_user", "user_id"),)

    challenge_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("gamification_challenge.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(USERS_ID, ondelete="CASCADE"), primary_key=True)
    value: Mapped[float] = mapped_column(Float, default=0.0)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]
