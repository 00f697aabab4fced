"""Fair play on the activity page (why the owner's activity does not count; a flag form for others)
and ``/staff/fair-play``, where staff clear flagged activities or confirm the flags."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.deps import CurrentUser, page_user, staff_page
from athlos.activities.access import viewable_activity
from athlos.core.deps import SessionDep
from athlos.core.errors import AppError
from athlos.gamification.fair_play import service
from athlos.gamification.fair_play.schemas import FlagIn
from athlos.vocabulary.sports import SPORT_LABELS
from athlos.web import render
from athlos.web.flash import flash_redirect, register_flash
from athlos.web.forms import N_, FormState, Refusal, read_form, refused, register_messages
from athlos.web.navigation import NavItem, register
from athlos.web.rendering import is_htmx

router = APIRouter(include_in_schema=False)
STAFF_PAGE = "/staff/fair-play"
AREA = "fair_play"

register(
    NavItem(
        "staff-fair-play",
        STAFF_PAGE,
        N_("Flagged activities"),
        order=905,
        section="community",
        staff_area=AREA,
    )
)
register_flash("activity_flagged", N_("Thank you. Staff will look at this activity."))
register_flash("fair_play_cleared", N_("The activity counts again."))
register_flash("fair_play_confirmed", N_("The flag is confirmed: the activity stays out."))
register_flash("fair_play_gone", N_("That activity was reviewed already."))
register_messages(
    {
        "flag_own_activity": Refusal(N_("You cannot flag your own activity.")),
        "already_flagged": Refusal(N_("You flagged this activity already.")),
    }
)


def not_found(request: Request) -> HTMLResponse:
    return render(request, "activities/not_found.html", status_code=404)


async def _section(
    request: Request,
    session: AsyncSession,
    user: CurrentUser | None,
    activity_id: uuid.UUID,
    form: FormState | None = None,
) -> Response:
    try:
        activity = await viewable_activity(session, user.id if user else None, activity_id)
    except AppError:
        return not_found(request)
    is_owner = user is not None and user.id == activity.owner_id
    context: dict[str, Any] = {
        "activity_id": activity_id,
        "is_owner": is_owner,
        "signed_in": user is not None,
        "verdict": await service.verdict_of(session, activity_id) if is_owner else None,
        "flagged": user is not None
        and not is_owner
        and await service.has_flagged(session, user.id, activity_id),
        "form": form or FormState(),
    }
    template = "gamification/_fair_play.html" if is_htmx(request) else "gamification/fair_play_page.html"
    return render(request, template, context, status_code=form.status if form else 200)


@router.get("/activities/{activity_id:uuid}/fair-play", response_class=HTMLResponse)
async def fair_play_section(request: Request, activity_id: uuid.UUID, session: SessionDep) -> Response:
    return await _section(request, session, await page_user(request, session), activity_id)


@router.post("/activities/{activity_id:uuid}/fair-play/flag", response_class=HTMLResponse)
async def flag(request: Request, activity_id: uuid.UUID, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse(f"/signin?next=/activities/{activity_id}", status_code=303)
    values = await read_form(request)
    try:
        body = FlagIn.model_validate({"reason": values.get("reason", "")})
        await service.flag_activity(session, user.id, activity_id, body.reason)
    except (ValidationError, AppError) as exc:
        if isinstance(exc, AppError) and exc.status == 404:
            return not_found(request)
        return await _section(request, session, user, activity_id, refused(exc, values, fields=("reason",)))
    return flash_redirect(f"/activities/{activity_id}", "activity_flagged")


@router.get(STAFF_PAGE, response_class=HTMLResponse)
async def flagged_page(request: Request, session: SessionDep) -> Response:
    user = await staff_page(request, session, AREA)
    if isinstance(user, Response):
        return user
    return render(
        request,
        "gamification/staff_fair_play.html",
        {"views": await service.open_flags(session), "sport_labels": SPORT_LABELS},
    )


@router.post(STAFF_PAGE + "/{activity_id}/review", response_class=HTMLResponse)
async def staff_review(
    request: Request, activity_id: uuid.UUID, session: SessionDep, decision: str = Form(max_length=16)
) -> Response:
    user = await staff_page(request, session, AREA)
    if isinstance(user, Response):
        return user
    try:
        await service.review(session, user.id, activity_id, decision)
    except AppError:
        return flash_redirect(STAFF_PAGE, "fair_play_gone")
    return flash_redirect(STAFF_PAGE, "fair_play_cleared" if decision == "cleared" else "fair_play_confirmed")
