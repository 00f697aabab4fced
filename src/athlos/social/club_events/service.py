"""Club events: members plan them, members answer going or not; when an event is full, the next to
say going wait in line and move up, in the order they answered, when a place frees up.

An event is seen by whoever may see its club (``clubs.service.visible_club``); what they may not see
answers :class:`ClubEventNotFound`. Planning one writes ``social.club_event_scheduled``, from which the
reminder follows (``handlers.py``).
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core.db import utcnow
from athlos.core.events import emit
from athlos.social.club_events.errors import (
    ClubEventCancelled,
    ClubEventInvalid,
    ClubEventNotFound,
    NotClubMember,
    NotEventOrganiser,
)
from athlos.social.club_events.models import ClubEvent, ClubEventRsvp
from athlos.social.club_events.schemas import ClubEventIn
from athlos.social.clubs import service as clubs
from athlos.social.clubs.errors import ClubNotFound
from athlos.vocabulary.sports import SPORTS

SCHEDULED: Final = "social.club_event_scheduled"
CANCELLED: Final = "social.club_event_cancelled"
REMINDER_DUE: Final = "social.club_event_reminder_due"
# How long before its start an event reminds the people going.
REMINDER_LEAD: Final = timedelta(hours=2)
LONGEST: Final = timedelta(days=7)


async def create_event(
    session: AsyncSession, actor_id: uuid.UUID, club_id: uuid.UUID, data: ClubEventIn
) -> ClubEvent:
    """A member plans an event of their club, starting later than now and ending after its start."""
    club = await clubs.visible_club(session, actor_id, club_id)
    if not await clubs.is_member(session, club_id, actor_id):
        raise NotClubMember()
    if data.sport not in SPORTS:
        raise ClubEventInvalid(f"Unknown sport: {data.sport[:40]}.", code="unknown_sport", field="sport")
    if data.starts_at <= utcnow():
        raise ClubEventInvalid(
            "The event must start later than now.", code="event_in_past", field="starts_at"
        )
    if not data.starts_at < data.ends_at <= data.starts_at + LONGEST:
        raise ClubEventInvalid(
            "The event ends after it starts, within a week.", code="event_ends_before_start", field="ends_at"
        )
    if (data.meeting_lat is None) != (data.meeting_lon is None):
        raise ClubEventInvalid(
            "A meeting point has both coordinates.", code="half_a_point", field="meeting_lat"
        )
    event = ClubEvent(
        **data.model_dump(exclude={"title", "meeting_point"}),
        title=data.title.strip(),
        meeting_point=data.meeting_point.strip(),
        club_id=club.id,
        creator_id=actor_id,
        created_at=utcnow(),
    )
    session.add(event)
    await session.flush()
    emit(
        session,
        SCHEDULED,
        event.id,
        {"event_id": str(event.id), "club_id": str(club.id), "starts_at": event.starts_at.isoformat()},
    )
    return event


async def visible_event(session: AsyncSession, viewer_id: uuid.UUID | None, event_id: uuid.UUID) -> ClubEvent:
    event = await session.get(ClubEvent, event_id)
    if event is None:
        raise ClubEventNotFound()
    try:
        await clubs.visible_club(session, viewer_id, event.club_id)
    except ClubNotFound:
        raise ClubEventNotFound() from None
    return event


async def club_events(
    session: AsyncSession,
    viewer_id: uuid.UUID | None,
    club_id: uuid.UUID,
    *,
    since: datetime | None = None,
    limit: int = 50,
) -> list[ClubEvent]:
    """The club's events that have not ended before ``since`` (now), soonest first."""
    await clubs.visible_club(session, viewer_id, club_id)
    return list(
        await session.scalars(
            select(ClubEvent)
            .where(ClubEvent.club_id == club_id, ClubEvent.ends_at > (since or utcnow()))
            .order_by(ClubEvent.starts_at, ClubEvent.id)
            .limit(limit)
        )
    )


async def counts(session: AsyncSession, event_ids: list[uuid.UUID]) -> dict[uuid.UUID, Counter[str]]:
    """How many are going and waiting, per event."""
    found: dict[uuid.UUID, Counter[str]] = {event_id: Counter() for event_id in event_ids}
    if event_ids:
        rows = await session.execute(
            select(ClubEventRsvp.event_id, ClubEventRsvp.status, func.count())
            .where(ClubEventRsvp.event_id.in_(event_ids))
            .group_by(ClubEventRsvp.event_id, ClubEventRsvp.status)
        )
        for event_id, status, count in rows:
            found[event_id][status] = count
    return found


async def answers_of(
    session: AsyncSession, user_id: uuid.UUID | None, event_ids: list[uuid.UUID]
) -> dict[uuid.UUID, str]:
    if user_id is None or not event_ids:
        return {}
    rows = await session.execute(
        select(ClubEventRsvp.event_id, ClubEventRsvp.status).where(
            ClubEventRsvp.user_id == user_id, ClubEventRsvp.event_id.in_(event_ids)
        )
    )
    return {row.event_id: row.status for row in rows}


async def going_ids(session: AsyncSession, event_id: uuid.UUID) -> list[uuid.UUID]:
    return list(
        await session.scalars(
            select(ClubEventRsvp.user_id).where(
                ClubEventRsvp.event_id == event_id, ClubEventRsvp.status == "going"
            )
        )
    )


async def _going_count(session: AsyncSession, event_id: uuid.UUID) -> int:
    return len(await going_ids(session, event_id))


async def _move_up(session: AsyncSession, event: ClubEvent) -> None:
    """Give the places that freed up to those waiting longest."""
    if event.capacity is None:
        free = None
    else:
        free = event.capacity - await _going_count(session, event.id)
        if free <= 0:
            return
    waiting = await session.scalars(
        select(ClubEventRsvp)
        .where(ClubEventRsvp.event_id == event.id, ClubEventRsvp.status == "waitlisted")
        .order_by(ClubEventRsvp.answered_at, ClubEventRsvp.user_id)
        .limit(free)
    )
    for rsvp in waiting:
        rsvp.status = "going"
    await session.flush()


async def answer(session: AsyncSession, actor_id: uuid.UUID, event_id: uuid.UUID, going: bool) -> str:
    """A member says they go (or wait for a place when the event is full) or that they do not; saying
    the same again changes nothing, and keeps their place in line."""
    event = await session.get(ClubEvent, event_id, with_for_update=True)
    if event is None:
        raise ClubEventNotFound()
    await visible_event(session, actor_id, event_id)
    if not await clubs.is_member(session, event.club_id, actor_id):
        raise NotClubMember()
    if event.cancelled_at is not None:
        raise ClubEventCancelled()
    rsvp = await session.get(ClubEventRsvp, (event_id, actor_id))
    if going and rsvp is not None and rsvp.status in ("going", "waitlisted"):
        return rsvp.status
    if not going:
        status = "not_going"
    elif event.capacity is not None and await _going_count(session, event_id) >= event.capacity:
        status = "waitlisted"
    else:
        status = "going"
    if rsvp is None:
        session.add(ClubEventRsvp(event_id=event_id, user_id=actor_id, status=status, answered_at=utcnow()))
    elif rsvp.status != status:
        rsvp.status, rsvp.answered_at = status, utcnow()
    await session.flush()
    if status == "not_going":
        await _move_up(session, event)
    return status


async def cancel_event(session: AsyncSession, actor_id: uuid.UUID, event_id: uuid.UUID) -> None:
    """The event's creator or an admin of the club cancels it; twice changes nothing."""
    event = await visible_event(session, actor_id, event_id)
    role = await clubs.role_of(session, event.club_id, actor_id)
    if event.creator_id != actor_id and role not in clubs.ADMINS:
        raise NotEventOrganiser()
    if event.cancelled_at is None:
        event.cancelled_at = utcnow()
        await session.flush()
        emit(session, CANCELLED, event.id, {"event_id": str(event.id), "club_id": str(event.club_id)})
