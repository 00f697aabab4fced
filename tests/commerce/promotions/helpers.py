"""Steps shared by the promotions tests: a promotion as staff make it, codes in its pool, points."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from athlos.commerce.promotions import service
from athlos.commerce.promotions.models import Promotion
from athlos.commerce.promotions.schemas import CodesIn, PromotionIn
from athlos.core.db import Database, utcnow
from athlos.gamification.points.models import PointsEntry


def today():  # type: ignore[no-untyped-def]
    return utcnow().date()


async def a_promotion(db: Database, codes: int = 0, **fields: Any) -> Promotion:
    body = {
        "slug": f"spring-{uuid.uuid4().hex[:8]}",
        "title_en": "New shoes, 20 % off",
        "body_en": "For the kilometres ahead.",
        "starts_on": today() - timedelta(days=1),
        "ends_on": today() + timedelta(days=10),
        **fields,
    }
    async with db.unit_of_work() as session:
        promotion = await service.create_promotion(session, None, PromotionIn.model_validate(body))
        if codes:
            await service.add_codes(session, promotion.id, CodesIn(generate=codes, prefix="AT"))
        return promotion


async def with_points(db: Database, user_id: uuid.UUID, points: int) -> None:
    """Activity points (what levels count), as if earned on one day."""
    async with db.unit_of_work() as session:
        session.add(
            PointsEntry(
                owner_id=user_id,
                activity_id=uuid.uuid4(),
                sport="run",
                local_date=today(),
                points=points,
                reason="awarded",
            )
        )
