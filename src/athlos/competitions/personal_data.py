"""Competitions' part of a person's data: their entries (with the live progress kept for them) and their
results. Races they set stay, without their name (``created_by`` is cleared by the database)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.competitions.models import LiveProgress, Registration, Result
from athlos.core import data_rights


async def export_races(session: AsyncSession, user_id: uuid.UUID) -> dict[str, Any]:
    entries = list(await session.scalars(select(Registration).where(Registration.user_id == user_id)))
    progress = await session.scalars(
        select(LiveProgress).where(LiveProgress.registration_id.in_([entry.id for entry in entries]))
    )
    results = await session.scalars(select(Result).where(Result.user_id == user_id))
    return {
        "competitions_registration": [
            {k: v for k, v in data_rights.row_dict(row).items() if k != "live_token_hash"} for row in entries
        ],
        "competitions_live_progress": [data_rights.row_dict(row) for row in progress],
        "competitions_result": [data_rights.row_dict(row) for row in results],
    }


async def erase_races(session: AsyncSession, user_id: uuid.UUID) -> None:
    entries = select(Registration.id).where(Registration.user_id == user_id)
    await session.execute(delete(LiveProgress).where(LiveProgress.registration_id.in_(entries)))
    await session.execute(delete(Result).where(Result.user_id == user_id))
    await session.execute(delete(Registration).where(Registration.user_id == user_id))


data_rights.register("competitions", exporter=export_races, eraser=erase_races)
