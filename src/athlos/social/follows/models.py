"""Tables of follows, follow requests and blocks. People are rows of the accounts domain, referred to by
table name only."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Final

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from athlos.core.db import Base, utcnow

USERS_ID: Final = "accounts_user.id"


class Follow(Base):
    """``follower_id`` sees what ``followee_id`` shares with followers."""

    __tablename__ = "social_follow"
    __table_args__ = (Index("ix_social_follow_followee", "followee_id", "created_at"),)

    follower_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(USERS_ID, ondelete="CASCADE"), primary_key=True)
    followee_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(USERS_ID, ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class FollowRequest(Base):
    """A request to follow someone who approves their followers. A rejected one stays (with
    ``rejected_at``) so that it cannot be sent again at once."""

    __tablename__ = "social_follow_request"
    __table_args__ = (Index("ix_social_follow_request_target", "target_id", "created_at"),)

    requester_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey(USERS_ID, ondelete="CASCADE"), primary_key=True
    )
    target_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(USERS_ID, ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    rejected_at: Mapped[datetime | None]


class Block(Base):
    """``blocker_id`` and ``blocked_id`` no longer see or reach each other, in both directions."""

    __tablename__ = "social_block"
    __table_args__ = (Index("ix_social_block_blocked", "blocked_id"),)

    blocker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(USERS_ID, ondelete="CASCADE"), primary_key=True)
    blocked_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(USERS_ID, ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
