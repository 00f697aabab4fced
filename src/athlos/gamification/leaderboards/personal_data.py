"""The leaderboards' part of a person's data: what each of their activities counts, and their totals.
The Redis projection forgets them when ``account.deleted`` is handled."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core import data_rights
from athlos.gamification.leaderboards.models import LeaderboardActivity, LeaderboardTotal


async def export_leaderboards(session: AsyncSession, user_id: uuid.UUID) -> dict[str, Any]:
    activities = await session.scalars(
        select(LeaderboardActivity).where(LeaderboardActivity.owner_id == user_id)
    )
    totals = await session.scalars(select(LeaderboardTotal).where(LeaderboardTotal.user_id == user_id))
    return {
        LeaderboardActivity.__tablename__: [data_rights.row_dict(row) for row in activities],
        LeaderboardTotal.__tablename__: [data_rights.row_dict(row) for row in totals],
    }


async def erase_leaderboards(session: AsyncSession, user_id: uuid.UUID) -> None:
    await session.execute(delete(LeaderboardActivity).where(LeaderboardActivity.owner_id == user_id))
    await session.execute(delete(LeaderboardTotal).where(LeaderboardTotal.user_id == user_id))


data_rights.register("leaderboards", exporter=export_leaderboards, eraser=erase_leaderboards)
