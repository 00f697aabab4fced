"""Reports of people, comments, chat messages, clubs and club events, kept until staff review them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Final

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from athlos.core.db import Base, UUIDPrimaryKey, utcnow

USERS_ID: Final = "accounts_user.id"
SUBJECTS: Final = ("person", "comment", "message", "club", "club_event")
# What staff decided: nothing wrong, or the comment or message taken down.
DECISIONS: Final = ("dismissed", "removed")


class Report(UUIDPrimaryKey, Base):
    """``reporter_id`` says that a person or a comment breaks the rules; open until reviewed."""

    __tablename__ = "social_report"
    __table_args__ = (
        UniqueConstraint("reporter_id", "subject", "subject_id"),
        Index("ix_social_report_open", "status", "created_at"),
    )

    reporter_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(USERS_ID, ondelete="CASCADE"))
    subject: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[uuid.UUID]
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when staff reviewed it: ``status`` becomes the decision (see DECISIONS).
    reviewed_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(USERS_ID, ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None]
