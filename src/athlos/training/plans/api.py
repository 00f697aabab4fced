"""``/api/v1/me/training/plans``: one's training plan, its calendar of workouts and its iCalendar."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import Response

from athlos.accounts.deps import CurrentUserDep
from athlos.analytics import service as analytics
from athlos.core.deps import SessionDep
from athlos.core.errors import problem_responses
from athlos.training.plans import ical, service
from athlos.training.plans.models import PlannedWorkout
from athlos.training.plans.schemas import AdaptationOut, PlanIn, PlannedWorkoutOut, PlanOut, TargetOut
from athlos.training.plans.titles import adaptation_message, title_in
from athlos.web.i18n import request_locale, translations

router = APIRouter(tags=["training"], responses=problem_responses(401, 404, 422))


def _workout_out(workout: PlannedWorkout, targets: list[dict[str, Any]] | None = None) -> PlannedWorkoutOut:
    out = PlannedWorkoutOut.model_validate(workout, from_attributes=True)
    return out.model_copy(update={"targets": [TargetOut(**target) for target in targets or []]})


@router.post("/me/training/plans", status_code=status.HTTP_201_CREATED, response_model=PlanOut)
async def create_plan(body: PlanIn, user: CurrentUserDep, session: SessionDep) -> dict[str, Any]:
    """A plan from today to ``target_date`` on the chosen weekdays, for one's current fitness. It
    replaces the active plan, whose ticked-off workouts stay in its history."""
    today = await analytics.today_of(session, user.id)
    plan = await service.create_plan(session, user.id, body, today)
    return service.plan_out(plan, await service.progress(session, plan))


@router.get("/me/training/plans/active", response_model=PlanOut)
async def active_plan(user: CurrentUserDep, session: SessionDep) -> dict[str, Any]:
    plan = await service.the_active_plan(session, user.id)
    return service.plan_out(plan, await service.progress(session, plan))


@router.delete("/me/training/plans/active", status_code=status.HTTP_204_NO_CONTENT)
async def end_plan(user: CurrentUserDep, session: SessionDep) -> Response:
    await service.end_plan(session, user.id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me/training/plans/active/workouts", response_model=list[PlannedWorkoutOut])
async def plan_workouts(
    user: CurrentUserDep,
    session: SessionDep,
    first: Annotated[date | None, Query(alias="from")] = None,
    last: Annotated[date | None, Query(alias="to")] = None,
) -> list[PlannedWorkoutOut]:
    """The active plan's workouts between two days (both counted), with the activity that did each."""
    plan = await service.the_active_plan(session, user.id)
    return [_workout_out(w) for w in await service.workouts_between(session, plan, first, last)]


@router.get("/me/training/workouts/{workout_id}", response_model=PlannedWorkoutOut)
async def planned_workout(
    workout_id: uuid.UUID, user: CurrentUserDep, session: SessionDep
) -> PlannedWorkoutOut:
    """One planned workout with what its zones mean for one today (paces, or heart rates)."""
    workout = await service.planned_workout(session, user.id, workout_id)
    plan = await service.the_plan_of(session, workout)
    today = await analytics.today_of(session, user.id)
    return _workout_out(workout, await service.targets(session, user.id, plan, workout, today))


@router.get(
    "/me/training/plans/active.ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}},
)
async def plan_calendar(request: Request, user: CurrentUserDep, session: SessionDep) -> Response:
    """The active plan as iCalendar, for a calendar app."""
    plan = await service.the_active_plan(session, user.id)
    workouts = await service.workouts_between(session, plan)
    title = title_in(request_locale(request))
    body = ical.calendar(plan, workouts, title, str(request.base_url).rstrip("/"))
    return Response(body, media_type="text/calendar; charset=utf-8")


@router.get("/me/training/plans/active/adaptation", response_model=AdaptationOut)
async def this_week_s_adaptation(
    request: Request, user: CurrentUserDep, session: SessionDep
) -> dict[str, Any]:
    """How this week adapts to the last: the volume factor, whether its hard session turned easy, the
    reason, and the one sentence that says so in the request's language."""
    plan = await service.the_active_plan(session, user.id)
    today = await analytics.today_of(session, user.id)
    week_start = today - timedelta(days=today.weekday())
    adaptation = await service.week_adaptation(session, user.id, plan, week_start, today)
    gettext = translations(request_locale(request)).gettext
    return {
        **asdict(adaptation),
        "week_start": week_start,
        "message": adaptation_message(adaptation, gettext),
    }
