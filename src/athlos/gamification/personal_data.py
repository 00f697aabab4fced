"""Gamification's part of a person's data: their activities' facts and fair play's verdicts on them, the
flags they raised, points history, goals, badges and the challenges they take part in."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core import data_rights
from athlos.core.db import Base
from athlos.gamification.badges.models import BadgeAward
from athlos.gamification.challenges.models import Participation
from athlos.gamification.fair_play.models import Flag, Verdict
from athlos.gamification.goals.models import Goal, GoalReached
from athlos.gamification.models import ActivityRecord, Player
from athlos.gamification.points.models import PointsEntry

Whose = Callable[[uuid.UUID], ColumnElement[bool]]

# Each table with the rows of the person, in the order they are erased.
HELD: tuple[tuple[type[Base], Whose], ...] = (
    (GoalReached, lambda user_id: GoalReached.goal_id.in_(select(Goal.id).where(Goal.owner_id == user_id))),
    (Goal, lambda user_id: Goal.owner_id == user_id),
    (BadgeAward, lambda user_id: BadgeAward.owner_id == user_id),
    (Participation, lambda user_id: Participation.user_id == user_id),
    (Flag, lambda user_id: Flag.reporter_id == user_id),
    (Verdict, lambda user_id: Verdict.owner_id == user_id),
    (PointsEntry, lambda user_id: PointsEntry.owner_id == user_id),
    (ActivityRecord, lambda user_id: ActivityRecord.owner_id == user_id),
    (Player, lambda user_id: Player.user_id == user_id),
)


async def export_gamification(session: AsyncSession, user_id: uuid.UUID) -> dict[str, Any]:
    exported: dict[str, Any] = {}
    for model, whose in HELD:
        rows = await session.scalars(select(model).where(whose(user_id)))
        exported[str(model.__tablename__)] = [data_rights.row_dict(row) for row in rows]
    return exported


async def erase_gamification(session: AsyncSession, user_id: uuid.UUID) -> None:
    for model, whose in HELD:
        await session.execute(delete(model).where(whose(user_id)))


data_rights.register("gamification", exporter=export_gamification, eraser=erase_gamification)
