"""Tables of club events and their RSVPs. Clubs are social's own table, people rows of accounts,
referred to by table name only."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Final

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from athlos.core.db import Base, UUIDPrimaryKey, utcnow

USERS_ID: Final = "accounts_user.id"
RSVPS: Final = ("going", "waitlisted", "not_going")


class ClubEvent(UUIDPrimaryKey, Base):
    """One meeting of a club: when, where (a point on the map and words), and how many may come
    (``capacity``; None: no limit). A cancelled event stays, marked, so RSVPs can see it."""

    __tablename__ = "social_club_event"
    __table_args__ = (Index("ix_social_club_event_club_start", "club_id", "starts_at"),)

    club_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("social_club.id", ondelete="CASCADE"))
    creator_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(USERS_ID, ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    sport: Mapped[str] = mapped_column(String(32))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    meeting_point: Mapped[str] = mapped_column(String(200), default="")
    meeting_lat: Mapped[float | None] = mapped_column(Float)
    meeting_lon: Mapped[float | None] = mapped_column(Float)
    capacity: Mapped[int | None] = mapped_column(Integer)
    cancelled_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ClubEventRsvp(Base):
    """``user_id``'s answer: ``going``, ``waitlisted`` (going, once a place frees up) or ``not_going``;
    ``answered_at`` orders the waitlist."""

    __tablename__ = "social_club_event_rsvp"
    __table_args__ = (
        Index("ix_social_club_event_rsvp_status", "event_id", "status", "answered_at"),
        Index("ix_social_club_event_rsvp_user", "user_id"),
    )

    event_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("social_club_event.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(USERS_ID, ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(String(12))
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)
