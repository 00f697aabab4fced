"""Sending a promotion: staff asked, and the people it is for who agreed to hear of offers are offered
it (each once, within the frequency cap); notifications words and delivers each offer."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.commerce.promotions import service
from athlos.core.db import utcnow
from athlos.core.events import Event, on


@on(service.SEND_ASKED)
async def send_promotion(session: AsyncSession, event: Event) -> None:
    await service.send(
        session, uuid.UUID(event.payload["promotion_id"]), int(event.payload["cap_days"]), utcnow().date()
    )
