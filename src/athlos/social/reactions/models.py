"""Tables of kudos and comments. Activities and people are rows of other domains, referred to by table
name only; both go with the activity."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Final

from sqlalchemy import Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from athlos.core.db import Base, UUIDPrimaryKey, utcnow

USERS_ID: Final = "accounts_user.id"
ACTIVITIES_ID: Final = "activities_activity.id"


class Kudos(Base):
    """``user_id`` gave kudos to the activity, once."""

    __tablename__ = "social_kudos"

    activity_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey(ACTIVITIES_ID, ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(USERS_ID, ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Comment(UUIDPrimaryKey, Base):
    """A comment on an activity. A deleted one stays as a tombstone (``deleted_at`` set, text emptied)
    so the thread keeps its shape."""

    __tablename__ = "social_comment"
    __table_args__ = (Index("ix_social_comment_activity", "activity_id", "created_at", "id"),)

    activity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(ACTIVITIES_ID, ondelete="CASCADE"))
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(USERS_ID, ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    # Who deleted it: "author", "owner" (of the activity) or "staff".
    deleted_by: Mapped[str | None] = mapped_column(String(16))


class Discussion(Base):
    """The owner's settings for comments on one of their activities (open unless a row says closed)."""

    __tablename__ = "social_discussion"

    activity_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey(ACTIVITIES_ID, ondelete="CASCADE"), primary_key=True
    )
    comments_closed: Mapped[bool] = mapped_column(Boolean, default=False)
