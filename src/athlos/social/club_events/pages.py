"""The club events pages: planning one (``/clubs/{id}/events/new``, times on the planner's clock, the
meeting point picked on the map) and an event's page with RSVPs, the waitlist, cancelling and its
iCalendar file."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Final
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.deps import CurrentUser, page_user
from athlos.accounts.profiles import service as profiles
from athlos.core.deps import SessionDep, SettingsDep
from athlos.core.errors import AppError
from athlos.social.club_events import service
from athlos.social.club_events.models import ClubEvent
from athlos.social.club_events.schemas import ClubEventIn
from athlos.social.clubs import service as clubs
from athlos.vocabulary.sports import SPORT_LABELS
from athlos.web import render
from athlos.web.flash import flash_redirect, register_flash
from athlos.web.forms import (
    FormState,
    Message,
    Refusal,
    blank_as_none,
    read_form,
    refused,
    register_messages,
    render_form,
)
from athlos.web.i18n import request_locale
from athlos.web.navigation import N_

router = APIRouter(include_in_schema=False)

FIELDS: Final = (
    "title",
    "sport",
    "starts_at",
    "ends_at",
    "meeting_point",
    "meeting_lat",
    "meeting_lon",
    "capacity",
    "description",
)
register_flash("club_event_created", N_("Event planned. Members can answer now."))
register_flash("club_event_going", N_("You are going. See you there!"))
register_flash("club_event_waitlisted", N_("The event is full: you are on the waitlist."))
register_flash("club_event_not_going", N_("You are not going."))
register_flash("club_event_cancelled", N_("Event cancelled."))
register_messages(
    {
        "event_in_past": Refusal(N_("Choose a start later than now."), "starts_at"),
        "event_ends_before_start": Refusal(N_("The end comes after the start, within a week."), "ends_at"),
        "half_a_point": Refusal(
            N_("Pick the meeting point on the map, or leave both coordinates empty."), "meeting_lat"
        ),
        "not_club_member": Refusal(N_("Only the club's members may do that.")),
    }
)


def see_other(location: str) -> RedirectResponse:
    return RedirectResponse(location, status_code=303)


def not_found(request: Request) -> HTMLResponse:
    return render(request, "social/clubs_not_found.html", status_code=404)


async def zone_of(session: AsyncSession, user: CurrentUser | None) -> ZoneInfo:
    if user is None:
        return ZoneInfo("UTC")
    return ZoneInfo((await profiles.get_profile(session, user.id)).time_zone or "UTC")


def _on_clock(values: dict[str, Any], zone: ZoneInfo) -> dict[str, Any]:
    """The form's local date-times (``2026-05-31T07:30``) as moments on the planner's clock."""
    moments = dict(values)
    for name in ("starts_at", "ends_at"):
        text = str(values.get(name) or "")
        try:
            moments[name] = datetime.fromisoformat(text).replace(tzinfo=zone).isoformat() if text else None
        except ValueError:
            moments[name] = text
    return moments


def _form_context(request: Request, club_id: uuid.UUID, form: FormState, settings: Any) -> dict[str, Any]:
    return {
        "club_id": club_id,
        "form": form,
        "sports": sorted((key, str(label)) for key, label in SPORT_LABELS.items()),
        "tile_url": settings.map_tile_url,
        "attribution": settings.map_attribution,
    }


@router.get("/clubs/{club_id:uuid}/events/new", response_class=HTMLResponse)
async def new_event_page(
    request: Request, club_id: uuid.UUID, session: SessionDep, settings: SettingsDep
) -> Response:
    user = await page_user(request, session)
    if user is None:
        return see_other(f"/signin?next=/clubs/{club_id}/events/new")
    try:
        club = await clubs.visible_club(session, user.id, club_id)
    except AppError:
        return not_found(request)
    form = FormState(values={"sport": club.sport}, status=200)
    return render(request, "social/club_event_new.html", _form_context(request, club_id, form, settings))


@router.post("/clubs/{club_id:uuid}/events/new")
async def create_event(
    request: Request, club_id: uuid.UUID, session: SessionDep, settings: SettingsDep
) -> Response:
    user = await page_user(request, session)
    if user is None:
        return see_other(f"/signin?next=/clubs/{club_id}/events/new")
    values = await read_form(request)
    zone = await zone_of(session, user)
    try:
        data = ClubEventIn.model_validate(
            _on_clock(blank_as_none(values, ("meeting_lat", "meeting_lon", "capacity")), zone)
        )
        event = await service.create_event(session, user.id, club_id, data)
    except (ValidationError, AppError) as exc:
        if isinstance(exc, AppError) and exc.status == 404:
            return not_found(request)
        state = refused(exc, values, fields=FIELDS)
        if isinstance(exc, ValidationError) and any(e["type"] == "timezone_aware" for e in exc.errors()):
            state.errors.setdefault(
                "starts_at", Message(N_("Enter a date and time such as 2025-05-31 07:30."))
            )
        return render_form(
            request, "social/club_event_new.html", _form_context(request, club_id, state, settings), state
        )
    return flash_redirect(f"/clubs/{club_id}/events/{event.id}", "club_event_created")


def event_card(
    event: ClubEvent, counts: Any, answer: str | None, zone: ZoneInfo, locale: str
) -> dict[str, Any]:
    return {
        "id": event.id,
        "club_id": event.club_id,
        "title": event.title,
        "sport": SPORT_LABELS.get(event.sport, event.sport),
        "starts": format_datetime(event.starts_at, "medium", tzinfo=zone, locale=locale),
        "ends": format_datetime(event.ends_at, "short", tzinfo=zone, locale=locale),
        "meeting_point": event.meeting_point,
        "lat": event.meeting_lat,
        "lon": event.meeting_lon,
        "capacity": event.capacity,
        "going": counts["going"],
        "waitlisted": counts["waitlisted"],
        "cancelled": event.cancelled_at is not None,
        "answer": answer,
        "description": event.description,
    }


async def event_cards(
    request: Request, session: AsyncSession, user: CurrentUser | None, events: list[ClubEvent]
) -> list[dict[str, Any]]:
    ids = [event.id for event in events]
    counts = await service.counts(session, ids)
    answers = await service.answers_of(session, user.id if user else None, ids)
    zone, locale = await zone_of(session, user), request_locale(request)
    return [event_card(e, counts[e.id], answers.get(e.id), zone, locale) for e in events]


@router.get("/clubs/{club_id:uuid}/events/{event_id:uuid}", response_class=HTMLResponse)
async def event_page(
    request: Request, club_id: uuid.UUID, event_id: uuid.UUID, session: SessionDep, settings: SettingsDep
) -> Response:
    user = await page_user(request, session)
    viewer_id = user.id if user else None
    try:
        event = await service.visible_event(session, viewer_id, event_id)
        club = await clubs.visible_club(session, viewer_id, club_id)
    except AppError:
        return not_found(request)
    if event.club_id != club_id:
        return not_found(request)
    role = await clubs.role_of(session, club_id, viewer_id)
    context = {
        "event": (await event_cards(request, session, user, [event]))[0],
        "club": {"id": club.id, "name": club.name},
        "member": role is not None,
        "organiser": viewer_id is not None and (event.creator_id == viewer_id or role in clubs.ADMINS),
        "tile_url": settings.map_tile_url,
        "attribution": settings.map_attribution,
    }
    return render(request, "social/club_event.html", context)


@router.post("/clubs/{club_id:uuid}/events/{event_id:uuid}/{action:str}")
async def event_action(
    request: Request, club_id: uuid.UUID, event_id: uuid.UUID, action: str, session: SessionDep
) -> Response:
    user = await page_user(request, session)
    here = f"/clubs/{club_id}/events/{event_id}"
    if user is None:
        return see_other(f"/signin?next={here}")
    try:
        if action == "going" or action == "not_going":
            done = "club_event_" + await service.answer(session, user.id, event_id, action == "going")
        elif action == "cancel":
            await service.cancel_event(session, user.id, event_id)
            done = "club_event_cancelled"
        else:
            return not_found(request)
    except AppError as exc:
        if exc.status == 404:
            return not_found(request)
        return render(
            request,
            "social/club_refused.html",
            {"club_id": club_id, "code": exc.code},
            status_code=exc.status,
        )
    return flash_redirect(here, done)
