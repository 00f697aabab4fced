"""Badges awarded: one row per person and badge, so awarding twice is impossible."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from athlos.core.db import Base, utcnow


class BadgeAward(Base):
    __tablename__ = "gamification_badge_award"

    owner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("accounts_user.id", ondelete="CASCADE"), primary_key=True
    )
    badge_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    # The activity that met the rule (no foreign key: the badge stays when it is deleted).
    activity_id: Mapped[uuid.UUID | None]
    earned_at: Mapped[datetime]
    awarded_at: Mapped[datetime] = mapped_column(default=utcnow)
