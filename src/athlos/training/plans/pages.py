"""``/training/plan``: pick a plan (errors beside the fields), then its week by week calendar with
each day's workout ticked off by the activity that did it, a workout's steps with today's paces or
heart rates, the plan as iCalendar, and ending it."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import ValidationError

from athlos.accounts.deps import page_user, sign_in_first
from athlos.analytics import service as analytics
from athlos.analytics.views import duration
from athlos.core.deps import SessionDep
from athlos.core.errors import AppError
from athlos.training.errors import PlanNotFound
from athlos.training.pages import ZONE_NAMES
from athlos.training.plans import coach, ical, service
from athlos.training.plans.library import GOAL_NAMES, GOALS, LEVEL_NAMES, LEVELS, SESSIONS_BY_KEY
from athlos.training.plans.models import PlannedWorkout
from athlos.training.plans.schemas import PlanIn
from athlos.training.plans.titles import adaptation_message, title_in, workout_title
from athlos.web import render
from athlos.web.flash import flash_redirect, register_flash
from athlos.web.forms import N_, FormState, Refusal, read_form, refused, register_messages, render_form
from athlos.web.i18n import gettext_for, request_locale

router = APIRouter(include_in_schema=False)

FIELDS: Final = ("goal", "level", "target_date", "weekdays")
WEEKDAY_NAMES: Final = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)

register_flash("training_plan_created", N_("Your plan is ready. Its first week is below."))
register_flash(
    "training_plan_ended", N_("The plan is ended. Its ticked-off workouts stay with your activities.")
)
register_messages(
    {
        "training_plan_dates": Refusal(
            N_("A plan runs 4 to 24 weeks: choose a target date 3 to 23 weeks from today."), "target_date"
        ),
        "training_plan_not_found": Refusal(N_("There is no such training plan.")),
    }
)


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _picker_context() -> dict[str, Any]:
    return {
        "goal_options": [(goal, GOAL_NAMES[goal]) for goal in GOALS],
        "level_options": [(level, LEVEL_NAMES[level]) for level in LEVELS],
        "weekday_options": [(str(n), name) for n, name in enumerate(WEEKDAY_NAMES)],
    }


@router.get("/training/plan", response_class=HTMLResponse)
async def plan_page(request: Request, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return sign_in_first("/training/plan")
    today = await analytics.today_of(session, user.id)
    plan = await service.active_plan(session, user.id)
    if plan is None:
        defaults = {"goal": "10k", "level": "beginner", "weekdays": ["1", "3", "6"]}
        defaults["target_date"] = (today + timedelta(weeks=10)).isoformat()
        return render(
            request, "training/plan_picker.html", {**_picker_context(), "form": FormState(values=defaults)}
        )
    try:
        asked = date.fromisoformat(request.query_params.get("week", ""))
    except ValueError:
        asked = today
    first = _week_start(min(max(asked, plan.start_date), plan.target_date))
    last = first + timedelta(days=6)
    gettext = gettext_for(request).gettext
    shown: list[PlannedWorkout | service.ShownWorkout] = [
        *await service.workouts_between(session, plan, first, last)
    ]
    adaptation = None
    if first <= today <= last:
        # Only the running week adapts: the week before it is what it reads.
        adaptation = await service.week_adaptation(session, user.id, plan, first, today)
        shown = [service.adapted(w, adaptation) for w in shown if isinstance(w, PlannedWorkout)]
    workouts = {w.day: w for w in shown}
    days = [
        {"day": first + timedelta(days=n), "workout": workouts.get(first + timedelta(days=n))}
        for n in range(7)
    ]
    context = {
        "plan": plan,
        "counts": await service.progress(session, plan),
        "days": days,
        "today": today,
        "previous": first - timedelta(days=7) if first > _week_start(plan.start_date) else None,
        "next": first + timedelta(days=7) if last < plan.target_date else None,
        "title_of": lambda workout: workout_title(workout, gettext),
        "adaptation": adaptation_message(adaptation, gettext) if adaptation else None,
        "goal_names": GOAL_NAMES,
        "level_names": LEVEL_NAMES,
        "weekday_names": WEEKDAY_NAMES,
    }
    return render(request, "training/plan.html", context)


@router.post("/training/plan", response_class=HTMLResponse)
async def create_plan(request: Request, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return sign_in_first("/training/plan")
    values = await read_form(request, lists=("weekdays",))
    today = await analytics.today_of(session, user.id)
    try:
        body = PlanIn.model_validate({name: values.get(name) or None for name in FIELDS})
        await service.create_plan(session, user.id, body, today)
    except (ValidationError, AppError) as exc:
        return render_form(
            request, "training/plan_picker.html", _picker_context(), refused(exc, values, fields=FIELDS)
        )
    return flash_redirect("/training/plan", "training_plan_created")


@router.post("/training/plan/end", response_class=HTMLResponse)
async def end_plan(request: Request, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return sign_in_first("/training/plan")
    await service.end_plan(session, user.id, missing_ok=True)
    return flash_redirect("/training/plan", "training_plan_ended")


@router.get("/training/plan/workouts/{workout_id:uuid}", response_class=HTMLResponse)
async def workout_page(request: Request, workout_id: uuid.UUID, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return sign_in_first(f"/training/plan/workouts/{workout_id}")
    try:
        workout = await service.planned_workout(session, user.id, workout_id)
        plan = await service.the_plan_of(session, workout)
    except AppError:
        return render(request, "training/plan_not_found.html", status_code=404)
    today = await analytics.today_of(session, user.id)
    gettext = gettext_for(request).gettext
    context = {
        "workout": workout,
        "plan": plan,
        "title": workout_title(workout, gettext),
        "targets": {t["zone"]: t for t in await service.targets(session, user.id, plan, workout, today)},
        "session": SESSIONS_BY_KEY.get(workout.session or ""),
        "step_names": coach.STEP_NAMES,
        "zone_names": {**ZONE_NAMES, "race": N_("Race pace")},
        "clock": duration,
    }
    return render(request, "training/workout.html", context)


@router.get("/training/plan.ics")
async def plan_calendar(request: Request, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return sign_in_first("/training/plan")
    plan = await service.active_plan(session, user.id)
    if plan is None:
        return render(request, "training/plan_not_found.html", status_code=404)
    workouts = await service.workouts_between(session, plan)
    title = title_in(request_locale(request))
    body = ical.calendar(plan, workouts, title, str(request.base_url).rstrip("/"))
    headers = {"Content-Disposition": 'attachment; filename="athlos-plan.ics"'}
    return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)


@router.get("/training/plan/workouts/{workout_id:uuid}/coach.json")
async def workout_coach(request: Request, workout_id: uuid.UUID, session: SessionDep) -> Response:
    """The workout as the Record page's voice coach follows it; someone else's is not found."""
    user = await page_user(request, session)
    try:
        if user is None:
            raise PlanNotFound()
        workout = await service.planned_workout(session, user.id, workout_id)
        plan = await service.the_plan_of(session, workout)
    except AppError:
        return JSONResponse({"steps": []}, status_code=404)
    today = await analytics.today_of(session, user.id)
    targets = {t["zone"]: t for t in await service.targets(session, user.id, plan, workout, today)}
    gettext = gettext_for(request).gettext
    zone_names = {**ZONE_NAMES, "race": N_("Race pace")}
    body = {
        "title": workout_title(workout, gettext),
        **coach.timeline(workout.steps, targets, zone_names, gettext),
    }
    return JSONResponse(body)
