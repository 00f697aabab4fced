"""``/goals``: the signed-in person's goals with progress bars, a form to set one, deleting; and the
dashboard's goals card."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.deps import CurrentUser, page_user
from athlos.core.deps import SessionDep
from athlos.core.errors import AppError
from athlos.gamification import service as gamification
from athlos.gamification.goals import service
from athlos.gamification.goals.schemas import GoalIn
from athlos.gamification.goals.service import MOST_GOALS
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

FIELDS: Final = ("metric", "sport", "period", "target", "due_date")
# The form asks for kilometres and hours; goals keep metres and seconds.
FORM_UNITS: Final = {"distance": 1000.0, "time": 3600.0, "elevation": 1.0, "count": 1.0}
CARD_GOALS: Final = 3

register(NavItem("goals", "/goals", N_("Goals"), order=510))
register_flash("goal_set", N_("Your goal is set."))
register_flash("goal_deleted", N_("The goal is deleted."))
register_messages(
    {
        "goal_unknown_sport": Refusal(N_("Choose one of the sports."), "sport"),
        "goal_due_date_missing": Refusal(N_("A goal by a date needs its date."), "due_date"),
        "goal_due_date_past": Refusal(N_("Choose today or a day to come."), "due_date"),
        "goal_due_date_far": Refusal(N_("Choose a day at most five years ahead."), "due_date"),
        "goal_due_date_unexpected": Refusal(
            N_("Only a goal by a date has a date; leave it empty for a goal of every week, month or year."),
            "due_date",
        ),
        "too_many_goals": Refusal(N_("You have 20 goals already. Delete one to set another.")),
    }
)


def stored_target(values: dict[str, Any], units: Mapping[str, float] = FORM_UNITS) -> Any:
    """The typed target in the goal's (or challenge's) stored unit; what is not a number is left for the
    schema to refuse."""
    try:
        return float(str(values.get("target", "")).replace(",", ".")) * units.get(
            str(values.get("metric")), 1.0
        )
    except ValueError:
        return values.get("target")


async def _page(
    request: Request, session: AsyncSession, user: CurrentUser, form: FormState | None = None
) -> HTMLResponse:
    today = await gamification.today_of(session, user.id)
    context = {
        "goals": await service.goals_progress(session, user.id, today),
        "motto": await gamification.motto_of(session, user.id),
        "today": today,
        "most_goals": MOST_GOALS,
        "sport_labels": SPORT_LABELS,
        "form_units": FORM_UNITS,
    }
    if form is not None:
        return render_form(request, "gamification/goals.html", context, form)
    return render(
        request,
        "gamification/goals.html",
        {**context, "form": FormState(values={"metric": "distance", "period": "week"})},
    )


@router.get("/goals", response_class=HTMLResponse)
async def goals_page(request: Request, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse("/signin", status_code=303)
    return await _page(request, session, user)


@router.post("/goals", response_class=HTMLResponse)
async def set_goal(request: Request, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse("/signin", status_code=303)
    values = await read_form(request)
    body = blank_as_none({name: values.get(name) for name in FIELDS}, ("sport", "due_date", "target"))
    if body.get("target") is not None:
        body["target"] = stored_target(body)
    try:
        today = await gamification.today_of(session, user.id)
        await service.create_goal(session, user.id, GoalIn.model_validate(body), today)
    except (ValidationError, AppError) as exc:
        return await _page(request, session, user, refused(exc, values, fields=FIELDS))
    return flash_redirect("/goals", "goal_set")


@router.post("/goals/{goal_id}/delete")
async def delete_goal(request: Request, session: SessionDep, goal_id: uuid.UUID) -> Response:
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse("/signin", status_code=303)
    try:
        await service.delete_goal(session, user.id, goal_id)
    except AppError:
        return RedirectResponse("/goals", status_code=303)  # already gone: the list shows what is left
    return flash_redirect("/goals", "goal_deleted")


async def goals_card(request: Request, session: AsyncSession, user: CurrentUser) -> dict[str, Any]:
    """The goals still running, with their progress bars."""
    today = await gamification.today_of(session, user.id)
    running = await service.open_goals(session, user.id, today)
    return {
        "empty": not running,
        "goals": running[:CARD_GOALS],
        "more": len(running) > CARD_GOALS,
        "sport_labels": SPORT_LABELS,
    }


register_card(Card("goals", slot="goals", template="gamification/_goals_card.html", load=goals_card))
