"""After a confirmed purchase, its buyer is offered the product as gear; idempotent on redelivery."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.commerce.shop import service
from athlos.core.events import Event, on


@on("commerce.purchase_confirmed")
async def offer_purchase_as_gear(session: AsyncSession, event: Event) -> None:
    user_id = event.payload.get("user_id")
    if not user_id:
        return  # a click of someone not signed in: no one to offer it to
    await service.open_offer(
        session, uuid.UUID(event.payload["conversion_id"]), uuid.UUID(user_id), event.payload["product_id"]
    )
