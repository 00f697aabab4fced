"""A person's training plan and its planned workouts, each ticked off by the activity that did it."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Final

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from athlos.core.db import Base, UUIDPrimaryKey, utcnow

USERS_ID: Final = "accounts_user.id"


class TrainingPlan(UUIDPrimaryKey, Base):
    """A plan towards ``goal`` on ``target_date`` at ``level``, on the chosen ``weekdays`` (0 = Monday).
    A person has one active plan at most; a new one ends the last (``ended_at``)."""

    __tablename__ = "training_plan"
    __table_args__ = (Index("ix_training_plan_owner_active", "owner_id", "ended_at"),)

    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(USERS_ID, ondelete="CASCADE"))
    goal: Mapped[str] = mapped_column(String(16))
    level: Mapped[str] = mapped_column(String(16))
    start_date: Mapped[date] = mapped_column(Date)
    target_date: Mapped[date] = mapped_column(Date)
    weekdays: Mapped[list[int]] = mapped_column(JSON)
    # The VDOT the plan was made with, if any (its paces follow the current one when shown).
    vdot: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]


class PlannedWorkout(UUIDPrimaryKey, Base):
    """One day's workout: its ``kind`` and ``steps`` (see ``generator.PlannedStep.as_dict``), and the
    activity that did it once one has (``activity_id``, ``done_at``)."""

    __tablename__ = "training_planned_workout"
    __table_args__ = (Index("ix_training_planned_workout_owner_day", "owner_id", "day"),)

    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("training_plan.id", ondelete="CASCADE"), index=True)
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(USERS_ID, ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    steps: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    distance_m: Mapped[float | None] = mapped_column(Float)
    duration_s: Mapped[float | None] = mapped_column(Float)
    session: Mapped[str | None] = mapped_column(String(32))
    activity_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    done_at: Mapped[datetime | None]
