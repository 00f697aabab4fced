"""Gear's part of a person's data: their items, defaults per sport and the gear of each activity."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core import data_rights
from athlos.gear.models import GearAssignment, GearDefault, GearItem

# In the order they are erased: what points at an item goes before it.
HELD = (GearAssignment, GearDefault, GearItem)


async def export_gear(session: AsyncSession, user_id: uuid.UUID) -> dict[str, Any]:
    exported: dict[str, Any] = {}
    for model in HELD:
        rows = await session.scalars(select(model).where(model.owner_id == user_id))
        exported[str(model.__tablename__)] = [data_rights.row_dict(row) for row in rows]
    return exported


async def erase_gear(session: AsyncSession, user_id: uuid.UUID) -> None:
    for model in HELD:
        await session.execute(delete(model).where(model.owner_id == user_id))


data_rights.register("gear", exporter=export_gear, eraser=erase_gear)
