"""The promotions' part of a person's data: the codes issued to them and what they saw of each
promotion. Erasure deletes what they saw and keeps their codes issued, without them, so a code is
never given twice."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.commerce.promotions.models import PromoCode, PromotionSeen
from athlos.core import data_rights


async def export_promotions(session: AsyncSession, user_id: uuid.UUID) -> dict[str, Any]:
    codes = await session.scalars(select(PromoCode).where(PromoCode.user_id == user_id))
    seen = await session.scalars(select(PromotionSeen).where(PromotionSeen.owner_id == user_id))
    return {
        PromoCode.__tablename__: [data_rights.row_dict(row) for row in codes],
        PromotionSeen.__tablename__: [data_rights.row_dict(row) for row in seen],
    }


async def erase_promotions(session: AsyncSession, user_id: uuid.UUID) -> None:
    await session.execute(delete(PromotionSeen).where(PromotionSeen.owner_id == user_id))
    await session.execute(update(PromoCode).where(PromoCode.user_id == user_id).values(user_id=None))


data_rights.register("promotions", exporter=export_promotions, eraser=erase_promotions)
