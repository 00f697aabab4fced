"""Challenges follow fair play: a flag or staff's review changed whether an activity counts, so its
owner's challenges are recounted from scratch (redelivery changes nothing). Changes of activities
themselves are recounted by gamification's own handler, in the transaction that keeps their facts."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core.events import Event, on
from athlos.gamification.challenges import service


@on("gamification.eligibility_changed")
async def recount_challenges(session: AsyncSession, event: Event) -> None:
    await service.recount(session, uuid.UUID(event.payload["owner_id"]))
