"""The club events API: a club's events, planning one, RSVPs, cancelling, and iCalendar exports of one
event and of a club's feed."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response, status
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.deps import CurrentUserDep, OptionalUserDep
from athlos.core.deps import SessionDep, SettingsDep
from athlos.core.downloads import attachment
from athlos.core.errors import problem_responses
from athlos.social.club_events import ical, service
from athlos.social.club_events.models import ClubEvent
from athlos.social.club_events.schemas import ClubEventIn, ClubEventOut, RsvpIn, RsvpOut
from athlos.social.clubs import service as clubs

router = APIRouter(tags=["clubs"], responses=problem_responses(401, 403, 404, 409, 422))
NO_CONTENT = status.HTTP_204_NO_CONTENT
ICAL = "text/calendar; charset=utf-8"


async def events_out(
    session: AsyncSession, viewer_id: uuid.UUID | None, events: list[ClubEvent]
) -> list[ClubEventOut]:
    ids = [event.id for event in events]
    counts = await service.counts(session, ids)
    answers = await service.answers_of(session, viewer_id, ids)
    return [
        ClubEventOut(
            id=event.id,
            club_id=event.club_id,
            title=event.title,
            description=event.description,
            sport=event.sport,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            meeting_point=event.meeting_point,
            meeting_lat=event.meeting_lat,
            meeting_lon=event.meeting_lon,
            capacity=event.capacity,
            going=counts[event.id]["going"],
            waitlisted=counts[event.id]["waitlisted"],
            cancelled=event.cancelled_at is not None,
            rsvp=answers.get(event.id),
        )
        for event in events
    ]


def base_url(request: Request, configured: str) -> str:
    return configured.rstrip("/") or str(request.base_url).rstrip("/")


@router.get("/clubs/{club_id}/events", response_model=list[ClubEventOut])
async def club_events(club_id: uuid.UUID, viewer: OptionalUserDep, session: SessionDep) -> list[ClubEventOut]:
    """The club's events that have not ended yet, soonest first."""
    viewer_id = viewer.id if viewer else None
    return await events_out(session, viewer_id, await service.club_events(session, viewer_id, club_id))


@router.post("/clubs/{club_id}/events", response_model=ClubEventOut, status_code=status.HTTP_201_CREATED)
async def create_event(
    club_id: uuid.UUID, body: ClubEventIn, user: CurrentUserDep, session: SessionDep
) -> ClubEventOut:
    event = await service.create_event(session, user.id, club_id, body)
    return (await events_out(session, user.id, [event]))[0]


# Before "/club-events/{event_id}", which would take "<id>.ics" for an id.
@router.get("/club-events/{event_id}.ics", response_class=Response)
async def event_ical(
    event_id: uuid.UUID, request: Request, viewer: OptionalUserDep, session: SessionDep, settings: SettingsDep
) -> Response:
    viewer_id = viewer.id if viewer else None
    event = await service.visible_event(session, viewer_id, event_id)
    club = await clubs.visible_club(session, viewer_id, event.club_id)
    body = ical.calendar([event], club.name, base_url(request, settings.base_url))
    headers = {"Content-Disposition": attachment(event.title, "ics", "event")}
    return Response(body, media_type=ICAL, headers=headers)


@router.get("/club-events/{event_id}", response_model=ClubEventOut)
async def get_event(event_id: uuid.UUID, viewer: OptionalUserDep, session: SessionDep) -> ClubEventOut:
    viewer_id = viewer.id if viewer else None
    return (
        await events_out(session, viewer_id, [await service.visible_event(session, viewer_id, event_id)])
    )[0]


@router.post("/club-events/{event_id}/rsvp", response_model=RsvpOut)
async def rsvp(
    event_id: uuid.UUID, user: CurrentUserDep, session: SessionDep, body: RsvpIn | None = None
) -> RsvpOut:
    """Going (or on the waitlist when the event is full), or ``{"answer": "not_going"}``."""
    going = body is None or body.answer == "going"
    return RsvpOut(status=await service.answer(session, user.id, event_id, going))


@router.delete("/club-events/{event_id}/rsvp", response_model=RsvpOut)
async def withdraw_rsvp(event_id: uuid.UUID, user: CurrentUserDep, session: SessionDep) -> RsvpOut:
    return RsvpOut(status=await service.answer(session, user.id, event_id, False))


@router.delete("/club-events/{event_id}", status_code=NO_CONTENT)
async def cancel_event(event_id: uuid.UUID, user: CurrentUserDep, session: SessionDep) -> Response:
    await service.cancel_event(session, user.id, event_id)
    return Response(status_code=NO_CONTENT)


@router.get("/clubs/{club_id}/events.ics", response_class=Response)
async def club_ical(
    club_id: uuid.UUID, request: Request, viewer: OptionalUserDep, session: SessionDep, settings: SettingsDep
) -> Response:
    viewer_id = viewer.id if viewer else None
    club = await clubs.visible_club(session, viewer_id, club_id)
    events = await service.club_events(session, viewer_id, club_id)
    body = ical.calendar(events, club.name, base_url(request, settings.base_url))
    headers = {"Content-Disposition": attachment(club.name, "ics", "club")}
    return Response(body, media_type=ICAL, headers=headers)
