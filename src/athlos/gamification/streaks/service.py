"""The person's daily and weekly streaks as of today, from the local days of their activities."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.gamification.models import ActivityRecord
from athlos.gamification.streaks.counting import UNITS, Streak, streak


async def streaks(session: AsyncSession, owner_id: uuid.UUID, today: date) -> list[Streak]:
    days = list(
        await session.scalars(
            select(ActivityRecord.local_date).where(ActivityRecord.owner_id == owner_id).distinct()
        )
    )
    return [streak(days, unit, today) for unit in UNITS]
