"""``/challenges``: the challenges joined and open to the person, a form to set one (staff, club
admins); ``/challenges/{id}`` with the progress bar, joining and leaving, and the leaderboard; and the
dashboard's challenges card."""

from __future__ import annotations

import uuid
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.deps import CurrentUser, page_user
from athlos.core.deps import SessionDep
from athlos.core.errors import AppError
from athlos.gamification import service as gamification
from athlos.gamification.challenges import service
from athlos.gamification.challenges.schemas import ChallengeIn
from athlos.gamification.goals.pages import stored_target
from athlos.vocabulary.sports import SPORT_LABELS
from athlos.web import render
from athlos.web.dashboard import Card, register_card
from athlos.web.flash import flash_redirect, register_flash
from athlos.web.forms import (
    N_,
    FormState,
    Refusal,
    blank_as_none,
    read_form,
    refused,
    register_messages,
    render_form,
)
from athlos.web.navigation import NavItem, register

router = APIRouter(include_in_schema=False)

FIELDS: Final = (
    "title",
    "description",
    "metric",
    "sport",
    "target",
    "start_date",
    "end_date",
    "audience",
    "country",
    "region",
    "club_id",
)
OPTIONAL: Final = ("sport", "country", "region", "club_id", "target", "start_date", "end_date")
# The form asks for kilometres and hours; challenges keep metres and seconds.
FORM_UNITS: Final = {"distance": 1000.0, "time": 3600.0, "elevation": 1.0, "count": 1.0, "streak": 1.0}
CARD_CHALLENGES: Final = 3

register(NavItem("challenges", "/challenges", N_("Challenges"), order=515))
register_flash("challenge_set", N_("The challenge is set."))
register_flash("challenge_joined", N_("You joined the challenge. Your activities inside its days count."))
register_flash("challenge_left", N_("You left the challenge."))
register_flash("challenge_over", N_("This challenge has ended."))
register_messages(
    {
        "challenge_unknown_sport": Refusal(N_("Choose one of the sports."), "sport"),
        "challenge_ends_before_start": Refusal(N_("Choose a last day after the first."), "end_date"),
        "challenge_end_past": Refusal(N_("Choose today or a day to come."), "end_date"),
        "challenge_too_long": Refusal(N_("A challenge lasts at most a year."), "end_date"),
        "challenge_streak_too_long": Refusal(N_("The streak cannot be longer than the challenge."), "target"),
        "challenge_country_missing": Refusal(N_("Choose the country."), "country"),
        "challenge_region_missing": Refusal(N_("Choose the region."), "region"),
        "challenge_club_missing": Refusal(N_("Choose the club."), "club_id"),
        "challenge_not_allowed": Refusal(
            N_("Only staff set challenges for everyone or a place, and a club's admins for their club.")
        ),
    }
)


def not_found(request: Request) -> HTMLResponse:
    return render(request, "gamification/challenge_not_found.html", {}, status_code=404)


async def _list_page(
    request: Request, session: AsyncSession, user: CurrentUser, form: FormState | None = None
) -> HTMLResponse:
    today = await gamification.today_of(session, user.id)
    joined, open_ones = await service.challenges_of(session, user.id, today, user.works_in("challenges"))
    clubs = await service.clubs_to_challenge(session, user.id)
    context = {
        "joined": joined,
        "open": open_ones,
        "today": today,
        "may_create": user.works_in("challenges") or bool(clubs),
        "is_staff": user.works_in("challenges"),
        "clubs": clubs,
        "sport_labels": SPORT_LABELS,
    }
    if form is not None:
        return render_form(request, "gamification/challenges.html", context, form)
    default = {"metric": "distance", "audience": "everyone" if user.works_in("challenges") else "club"}
    return render(request, "gamification/challenges.html", {**context, "form": FormState(values=default)})


@router.get("/challenges", response_class=HTMLResponse)
async def challenges_page(request: Request, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse("/signin?next=/challenges", status_code=303)
    return await _list_page(request, session, user)


@router.post("/challenges", response_class=HTMLResponse)
async def set_challenge(request: Request, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse("/signin?next=/challenges", status_code=303)
    values = await read_form(request)
    body = blank_as_none({name: values.get(name) for name in FIELDS}, OPTIONAL)
    if body.get("target") is not None:
        body["target"] = stored_target(body, FORM_UNITS)
    body["description"] = body.get("description") or ""
    try:
        today = await gamification.today_of(session, user.id)
        challenge = await service.create_challenge(
            session, user.id, user.works_in("challenges"), ChallengeIn.model_validate(body), today
        )
    except (ValidationError, AppError) as exc:
        return await _list_page(request, session, user, refused(exc, values, fields=FIELDS))
    return flash_redirect(f"/challenges/{challenge.id}", "challenge_set")


@router.get("/challenges/{challenge_id:uuid}", response_class=HTMLResponse)
async def challenge_page(request: Request, challenge_id: uuid.UUID, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse(f"/signin?next=/challenges/{challenge_id}", status_code=303)
    try:
        challenge = await service.visible_challenge(
            session, user.id, challenge_id, user.works_in("challenges")
        )
    except AppError:
        return not_found(request)
    today = await gamification.today_of(session, user.id)
    return render(
        request,
        "gamification/challenge.html",
        {
            "view": await service.view_of(session, user.id, challenge),
            "standings": await service.leaderboard(session, challenge),
            "today": today,
            "me": user.id,
            "sport_labels": SPORT_LABELS,
        },
    )


@router.post("/challenges/{challenge_id:uuid}/join")
async def join(request: Request, challenge_id: uuid.UUID, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse(f"/signin?next=/challenges/{challenge_id}", status_code=303)
    try:
        today = await gamification.today_of(session, user.id)
        await service.join(session, user.id, challenge_id, today, user.works_in("challenges"))
    except AppError as exc:
        if exc.status == 404:
            return not_found(request)
        return flash_redirect(f"/challenges/{challenge_id}", "challenge_over")
    return flash_redirect(f"/challenges/{challenge_id}", "challenge_joined")


@router.post("/challenges/{challenge_id:uuid}/leave")
async def leave(request: Request, challenge_id: uuid.UUID, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse(f"/signin?next=/challenges/{challenge_id}", status_code=303)
    try:
        await service.leave(session, user.id, challenge_id, user.works_in("challenges"))
    except AppError:
        return not_found(request)
    return flash_redirect(f"/challenges/{challenge_id}", "challenge_left")


async def challenges_card(request: Request, session: AsyncSession, user: CurrentUser) -> dict[str, Any]:
    """The running challenges the person joined with their progress bars, or an invitation to one."""
    today = await gamification.today_of(session, user.id)
    joined, open_ones = await service.challenges_of(session, user.id, today, user.works_in("challenges"))
    running = [v for v in joined if v.challenge.end_date >= today]
    return {
        "empty": not running and not open_ones,
        "joined": running[:CARD_CHALLENGES],
        "open": len(open_ones),
        "sport_labels": SPORT_LABELS,
    }


register_card(
    Card("challenges", slot="challenges", template="gamification/_challenges_card.html", load=challenges_card)
)
