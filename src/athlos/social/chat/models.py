"""Tables of club chat: the messages of a club, and how far each member has read. Clubs and people are
rows referred to by table name only; messages go with their club."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Final

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from athlos.core.db import Base, UUIDPrimaryKey, utcnow

USERS_ID: Final = "accounts_user.id"
CLUBS_ID: Final = "social_club.id"


class ClubMessage(UUIDPrimaryKey, Base):
    """A message in a club's chat. A deleted one stays as a tombstone (``deleted_at`` set, text emptied)
    so the conversation keeps its shape."""

    __tablename__ = "social_club_message"
    __table_args__ = (Index("ix_social_club_message_club", "club_id", "created_at", "id"),)

    club_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(CLUBS_ID, ondelete="CASCADE"))
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(USERS_ID, ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    # Who deleted it: "author" or "admin" (of the club).
    deleted_by: Mapped[str | None] = mapped_column(String(16))


class ClubChatRead(Base):
    """``user_id`` has read the chat of ``club_id`` up to ``last_read_at`` (the newest message then)."""

    __tablename__ = "social_club_chat_read"

    club_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(CLUBS_ID, ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(USERS_ID, ondelete="CASCADE"), primary_key=True)
    last_read_message_id: Mapped[uuid.UUID | None]
    last_read_at: Mapped[datetime] = mapped_column(default=utcnow)
