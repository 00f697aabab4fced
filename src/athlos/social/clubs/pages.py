"""The clubs pages: ``/clubs`` (one's clubs, invitations, finding clubs), ``/clubs/new`` and a club's
page ``/clubs/{id}`` (members, their activities, the week's leaderboard, and what admins do), with
plain forms that come back with their errors beside the fields."""

from __future__ import annotations

import uuid
from datetime import timedelta
from functools import cache
from typing import Any, Final
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.deps import CurrentUser, page_user
from athlos.accounts.profiles import service as profiles
from athlos.activities.display import Units, duration
from athlos.core.db import utcnow
from athlos.core.deps import SessionDep
from athlos.core.errors import AppError
from athlos.social.club_events import service as club_events
from athlos.social.club_events.pages import event_cards
from athlos.social.clubs import rosters, service, training
from athlos.social.clubs.models import Club
from athlos.social.clubs.schemas import ClubIn
from athlos.social.feed.pages import activity_cards
from athlos.vocabulary.sports import SPORT_LABELS
from athlos.web import render
from athlos.web.dashboard import Card, register_card
from athlos.web.flash import flash_redirect, register_flash
from athlos.web.forms import FormState, blank_as_none, read_form, refused, render_form
from athlos.web.i18n import request_locale
from athlos.web.navigation import N_, NavItem, register

router = APIRouter(include_in_schema=False)

CLUBS: Final = "/clubs"
NEW: Final = "/clubs/new"
LIST_SIZE: Final = 100
FEED_SIZE: Final = 20
FIELDS: Final = ("name", "description", "sport", "country", "region", "city", "join_policy")

register(NavItem("clubs", CLUBS, N_("Clubs"), order=360, section="community"))
for key, message in {
    "club_created": N_("Your club is ready. Invite people or share its page."),
    "club_joined": N_("You joined the club."),
    "club_requested": N_("Request sent. The club's admins will decide."),
    "club_left": N_("You left the club."),
    "club_request_approved": N_("Request approved: a new member."),
    "club_request_rejected": N_("Request declined."),
    "club_invited": N_("Invitation sent."),
    "club_invite_withdrawn": N_("Invitation withdrawn."),
    "club_member_removed": N_("Member removed."),
    "club_role_changed": N_("Role changed."),
    "club_handed_over": N_("The club has a new owner."),
}.items():
    register_flash(key, message)

POLICIES: Final = {
    "public": N_("Public: anyone may join"),
    "request": N_("On request: admins approve members"),
    "invite": N_("Invite only: hidden from others"),
}


def see_other(location: str) -> RedirectResponse:
    return RedirectResponse(location, status_code=303)


def not_found(request: Request) -> HTMLResponse:
    return render(request, "social/clubs_not_found.html", status_code=404)


@cache
def country_choices(locale: str) -> tuple[tuple[str, str], ...]:
    names = Locale.parse(locale).territories
    return tuple(
        sorted(((c, n) for c, n in names.items() if len(c) == 2 and c.isalpha()), key=lambda i: i[1])
    )


def _place(club: Club, locale: str) -> str:
    country = Locale.parse(locale).territories.get(club.country or "", club.country or "")
    return ", ".join(part for part in (club.city, country) if part)


async def club_cards(session: AsyncSession, clubs: list[Club], locale: str) -> list[dict[str, Any]]:
    counts = await service.member_counts(session, [club.id for club in clubs])
    return [
        {
            "id": club.id,
            "name": club.name,
            "sport": SPORT_LABELS.get(club.sport, club.sport),
            "place": _place(club, locale),
            "policy": club.join_policy,
            "members": counts.get(club.id, 0),
        }
        for club in clubs
    ]


@router.get(CLUBS, response_class=HTMLResponse)
async def clubs_page(
    request: Request, session: SessionDep, q: str = "", sport: str = "", country: str = ""
) -> Response:
    user = await page_user(request, session)
    locale = request_locale(request)
    query, sport, country = q.strip()[:100], sport[:32], country[:2]
    found, _ = await service.search_clubs(
        session,
        user.id if user else None,
        query=query,
        sport=sport or None,
        country=country or None,
        limit=LIST_SIZE,
    )
    mine = [club for club, _ in await service.clubs_of(session, user.id)] if user else []
    context = {
        "q": query,
        "sport": sport,
        "country": country,
        "searched": bool(query or sport or country),
        "found": await club_cards(session, found, locale),
        "mine": await club_cards(session, mine, locale),
        "invitations": await rosters.invitations(session, user.id) if user else [],
        "sports": sorted((key, str(label)) for key, label in SPORT_LABELS.items()),
        "countries": country_choices(locale),
    }
    return render(request, "social/clubs.html", context)


def _new_context(request: Request, form: FormState) -> dict[str, Any]:
    return {
        "form": form,
        "sports": sorted((key, str(label)) for key, label in SPORT_LABELS.items()),
        "countries": country_choices(request_locale(request)),
        "policies": list(POLICIES.items()),
    }


@router.get(NEW, response_class=HTMLResponse)
async def new_club_page(request: Request, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return see_other(f"/signin?next={NEW}")
    own = await profiles.get_profile(session, user.id)
    values = {"country": own.country or "", "city": own.city or "", "join_policy": "public"}
    return render(
        request, "social/club_new.html", _new_context(request, FormState(values=values, status=200))
    )


@router.post(NEW)
async def create_club(request: Request, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return see_other(f"/signin?next={NEW}")
    values = await read_form(request)
    try:
        data = ClubIn.model_validate(blank_as_none(values, ("country", "region", "city")))
        club = await service.create_club(session, user.id, data)
    except (ValidationError, AppError) as exc:
        state = refused(exc, values, fields=FIELDS)
        return render_form(request, "social/club_new.html", _new_context(request, state), state)
    return flash_redirect(f"/clubs/{club.id}", "club_created")


def _leaders(
    standings: list[training.Standing], cards: dict[uuid.UUID, Any], units: Units, by: str
) -> list[dict[str, Any]]:
    return [
        {
            "rank": rank,
            "id": s.user_id,
            "name": cards[s.user_id].display_name,
            "value": units.distance(s.distance_m) if by == "distance" else duration(s.moving_time_s),
        }
        for rank, s in enumerate(standings, start=1)
        if s.user_id in cards
    ]


async def _training(
    request: Request, session: AsyncSession, user: CurrentUser, club: Club, cursor: str | None
) -> dict[str, Any]:
    """The members' activities and the week's leaderboard, as the viewer may see them."""
    shown, next_cursor = await training.club_activities(session, user.id, club.id, cursor, FEED_SIZE)
    own = await profiles.get_profile(session, user.id)
    zone = ZoneInfo(own.time_zone or "UTC")
    locale = request_locale(request)
    board = await training.weekly_leaderboard(session, user.id, club.id, utcnow(), zone)
    units = Units(imperial=own.units == "imperial", locale=locale)
    cards = await profiles.person_cards(session, [s.user_id for s in board.by_distance + board.by_time])
    return {
        "activities": await activity_cards(request, session, user, shown),
        "next_cursor": next_cursor,
        "week": (
            format_date(board.week_start.date(), "medium", locale=locale),
            format_date(board.week_end.date() - timedelta(days=1), "medium", locale=locale),
        ),
        "by_distance": _leaders(board.by_distance, cards, units, "distance"),
        "by_time": _leaders(board.by_time, cards, units, "time"),
        "imperial": units.imperial,
    }


async def _admin_lists(session: AsyncSession, user: CurrentUser, club: Club, invite_q: str) -> dict[str, Any]:
    requests, _ = await rosters.join_requests(session, user.id, club.id, None, LIST_SIZE)
    invited, _ = await rosters.invites_of_club(session, user.id, club.id, None, LIST_SIZE)
    cards = await profiles.person_cards(session, [p.user_id for p in requests + invited])
    candidates = []
    if invite_q:
        members = set(await service.member_ids(session, club.id))
        waiting = {p.user_id for p in invited}
        candidates = [
            card
            for card in await profiles.search_people(session, user.id, invite_q)
            if card.id not in members and card.id not in waiting
        ]
    return {
        "requests": [cards[p.user_id] for p in requests if p.user_id in cards],
        "invited": [cards[p.user_id] for p in invited if p.user_id in cards],
        "invite_q": invite_q,
        "candidates": candidates,
    }


@router.get("/clubs/{club_id:uuid}", response_class=HTMLResponse)
async def club_page(
    request: Request, club_id: uuid.UUID, session: SessionDep, cursor: str = "", invite_q: str = ""
) -> Response:
    user = await page_user(request, session)
    viewer_id = user.id if user else None
    try:
        club = await service.visible_club(session, viewer_id, club_id)
        people, _ = await rosters.members(session, viewer_id, club_id, None, LIST_SIZE)
    except AppError:
        return not_found(request)
    cards = await profiles.person_cards(session, [p.user_id for p in people])
    standing = await service.standing(session, club_id, viewer_id)
    locale = request_locale(request)
    context: dict[str, Any] = {
        "club": (await club_cards(session, [club], locale))[0] | {"description": club.description},
        "standing": standing,
        "is_admin": standing in service.ADMINS,
        "is_owner": standing == "owner",
        "members": [{"card": cards[p.user_id], "role": p.role} for p in people if p.user_id in cards],
        "policy_label": POLICIES[club.join_policy],
        "events": await event_cards(
            request, session, user, await club_events.club_events(session, viewer_id, club_id)
        ),
    }
    if user is not None:
        try:
            context |= await _training(request, session, user, club, cursor[:500] or None)
        except AppError:
            return see_other(f"/clubs/{club_id}")  # a spoilt cursor: start from the newest
        if context["is_admin"]:
            context |= await _admin_lists(session, user, club, invite_q.strip()[:100])
    return render(request, "social/club.html", context)


async def _act(request: Request, session: SessionDep, club_id: uuid.UUID, action: str, done: str) -> Response:
    """Run one of a club page's buttons and come back to the page with its confirmation."""
    user = await page_user(request, session)
    if user is None:
        return see_other(f"/signin?next=/clubs/{club_id}")
    values = await read_form(request)
    try:
        person = uuid.UUID(str(values.get("user_id", ""))) if "user_id" in values else None
    except ValueError:
        return not_found(request)
    back = f"/clubs/{club_id}"
    try:
        if action == "join":
            done = "club_" + (
                "joined" if await service.join_club(session, user.id, club_id) == "member" else "requested"
            )
        elif action == "leave":
            await service.leave_club(session, user.id, club_id)
            back = CLUBS
        elif person is None:
            return not_found(request)
        elif action == "approve":
            await service.approve_request(session, user.id, club_id, person)
        elif action == "reject":
            await service.reject_request(session, user.id, club_id, person)
        elif action == "invite":
            await service.invite(session, user.id, club_id, person)
        elif action == "withdraw":
            await service.withdraw_invite(session, user.id, club_id, person)
        elif action == "remove":
            await service.remove_member(session, user.id, club_id, person)
        elif action == "role":
            role = "admin" if values.get("role") == "admin" else "member"
            await service.set_role(session, user.id, club_id, person, role)
        else:
            await service.hand_over(session, user.id, club_id, person)
    except AppError as exc:
        if exc.status == 404:
            return not_found(request)
        return render(
            request,
            "social/club_refused.html",
            {"club_id": club_id, "code": exc.code},
            status_code=exc.status,
        )
    return flash_redirect(back, done)


ACTIONS: Final = {
    "join": "club_joined",
    "leave": "club_left",
    "approve": "club_request_approved",
    "reject": "club_request_rejected",
    "invite": "club_invited",
    "withdraw": "club_invite_withdrawn",
    "remove": "club_member_removed",
    "role": "club_role_changed",
    "owner": "club_handed_over",
}


@router.post("/clubs/{club_id:uuid}/{action:str}")
async def club_action(request: Request, club_id: uuid.UUID, action: str, session: SessionDep) -> Response:
    if action not in ACTIONS:
        return not_found(request)
    return await _act(request, session, club_id, action, ACTIONS[action])


async def clubs_card(request: Request, session: AsyncSession, user: CurrentUser) -> dict[str, Any]:
    """The dashboard's card of one's clubs and the invitations waiting."""
    mine = [club for club, _ in await service.clubs_of(session, user.id)]
    invitations = await rosters.invitations(session, user.id)
    return {
        "empty": not mine and not invitations,
        "clubs": await club_cards(session, mine[:5], request_locale(request)),
        "invitations": invitations[:5],
    }


register_card(Card("clubs", slot="feed", template="social/_clubs_card.html", load=clubs_card, order=600))
