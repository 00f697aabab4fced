"""The reminder before a club event: the event of its planning waits (``Deferred``) until
``REMINDER_LEAD`` before the start, then tells the people going. A cancelled or deleted event, or one
planned again for another time, reminds nobody from the old plan."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core.db import utcnow
from athlos.core.events import Event, emit, on
from athlos.core.events.delivery import Deferred
from athlos.social.club_events import service
from athlos.social.club_events.models import ClubEvent
from athlos.social.clubs.models import Club


@on(service.SCHEDULED)
async def remind_before_event(session: AsyncSession, event: Event) -> None:
    planned = await session.get(ClubEvent, uuid.UUID(event.payload["event_id"]))
    if planned is None or planned.cancelled_at is not None:
        return
    if planned.starts_at != datetime.fromisoformat(event.payload["starts_at"]):
        return
    now = utcnow()
    due = planned.starts_at - service.REMINDER_LEAD
    if now < due:
        raise Deferred((due - now).total_seconds(), "the reminder is not due yet")
    if now >= planned.starts_at:
        return
    going = await service.going_ids(session, planned.id)
    if not going:
        return
    club = await session.get(Club, planned.club_id)
    emit(
        session,
        service.REMINDER_DUE,
        planned.id,
        {
            "event_id": str(planned.id),
            "club_id": str(planned.club_id),
            "club_name": club.name if club else "",
            "title": planned.title,
            "starts_at": planned.starts_at.isoformat(),
            "user_ids": [str(user_id) for user_id in going],
        },
    )
