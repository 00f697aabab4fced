"""Personal goals and the periods in which they were reached."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from athlos.core.db import Base, UUIDPrimaryKey, utcnow


class Goal(UUIDPrimaryKey, Base):
    """A measurable goal: ``target`` of ``metric`` (metres, seconds, metres or activities) in each
    ``period`` (week, month, year), or from ``start_date`` until ``due_date`` for ``by_date``."""

    __tablename__ = "gamification_goal"

    owner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("accounts_user.id", ondelete="CASCADE"), index=True
    )
    metric: Mapped[str] = mapped_column(String(16))
    # None: every sport counts.
    sport: Mapped[str | None] = mapped_column(String(32))
    period: Mapped[str] = mapped_column(String(16))
    target: Mapped[float] = mapped_column(Float)
    start_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class GoalReached(Base):
    """A goal reached in one of its periods (its start), so it is told once per period."""

    __tablename__ = "gamification_goal_reached"

    goal_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("gamification_goal.id", ondelete="CASCADE"), primary_key=True
    )
    period_start: Mapped[date] = mapped_column(Date, primary_key=True)
    reached_at: Mapped[datetime] = mapped_column(default=utcnow)
