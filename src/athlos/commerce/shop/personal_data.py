"""The shop's part of a person's data: the links they followed, the purchases confirmed against them
and the offers to add those to their gear. The funnel's counters of links shown are about no one."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.commerce.shop.models import GearOffer, ShopClick, ShopConversion
from athlos.core import data_rights

# In the order they are erased: what points at a row goes before it.
HELD = (GearOffer, ShopConversion, ShopClick)


async def export_shop(session: AsyncSession, user_id: uuid.UUID) -> dict[str, Any]:
    exported: dict[str, Any] = {}
    for model in HELD:
        rows = await session.scalars(select(model).where(model.user_id == user_id))
        exported[str(model.__tablename__)] = [data_rights.row_dict(row) for row in rows]
    return exported


async def erase_shop(session: AsyncSession, user_id: uuid.UUID) -> None:
    clicks = select(ShopClick.id).where(ShopClick.user_id == user_id)
    await session.execute(delete(GearOffer).where(GearOffer.user_id == user_id))
    await session.execute(
        delete(ShopConversion).where(
            (ShopConversion.user_id == user_id) | ShopConversion.click_id.in_(clicks)
        )
    )
    await session.execute(delete(ShopClick).where(ShopClick.user_id == user_id))


data_rights.register("shop", exporter=export_shop, eraser=erase_shop)
