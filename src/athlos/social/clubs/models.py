"""Tables of clubs: the club, its members with their roles, requests to join and invitations. People
are rows of the accounts domain, referred to by table name only."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Final

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from athlos.core.db import Base, UUIDPrimaryKey, utcnow

USERS_ID: Final = "accounts_user.id"
CLUBS_ID: Final = "social_club.id"

JOIN_POLICIES: Final = ("public", "request", "invite")
ROLES: Final = ("owner", "admin", "member")


class Club(UUIDPrimaryKey, Base):
    """A club around a sport and a place. ``join_policy``: ``public`` (anyone joins), ``request`` (an
    admin approves), ``invite`` (only the invited join; the club is hidden from everyone else)."""

    __tablename__ = "social_club"
    __table_args__ = (
        Index("ix_social_club_listed", "join_policy", "created_at"),
        Index("ix_social_club_sport", "sport"),
        Index("ix_social_club_country", "country"),
    )

    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    sport: Mapped[str] = mapped_column(String(32))
    country: Mapped[str | None] = mapped_column(String(2))
    region: Mapped[str | None] = mapped_column(String(10))
    city: Mapped[str | None] = mapped_column(String(100))
    join_policy: Mapped[str] = mapped_column(String(16), default="public")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ClubMembership(Base):
    """``user_id`` belongs to ``club_id`` as ``role``; every club has exactly one ``owner``."""

    __tablename__ = "social_club_membership"
    __table_args__ = (
        Index("ix_social_club_membership_user", "user_id"),
        Index("ix_social_club_membership_joined", "club_id", "joined_at"),
    )

    club_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(CLUBS_ID, ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(USERS_ID, ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(8), default="member")
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)


class ClubJoinRequest(Base):
    """``user_id`` asks to join a club whose admins approve new members."""

    __tablename__ = "social_club_join_request"
    __table_args__ = (Index("ix_social_club_join_request_user", "user_id"),)

    club_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(CLUBS_ID, ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(USERS_ID, ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ClubInvite(Base):
    """An admin (``inviter_id``) invited ``user_id``, who joins by accepting it."""

    __tablename__ = "social_club_invite"
    __table_args__ = (Index("ix_social_club_invite_user", "user_id", "created_at"),)

    club_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(CLUBS_ID, ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(USERS_ID, ondelete="CASCADE"), primary_key=True)
    inviter_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(USERS_ID, ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
