"""Points become loyalty points: each award credits the balance, each taking back debits it; idempotent
by the award event's id, which is the transfer's id."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core.events import Event, on
from athlos.gamification.loyalty import service


@on("gamification.points_awarded")
async def credit_points(session: AsyncSession, event: Event) -> None:
    await service.follow_points(
        session, uuid.UUID(event.payload["user_id"]), int(event.payload["points"]), f"points:{event.id}"
    )
