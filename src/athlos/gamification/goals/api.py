"""``/api/v1/me/goals``: the signed-in person's goals with their progress; set, change, delete."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Response

from athlos.accounts.deps import CurrentUserDep
from athlos.core.deps import SessionDep
from athlos.core.errors import problem_responses
from athlos.gamification import service as gamification
from athlos.gamification.goals import service
from athlos.gamification.goals.schemas import GoalIn, GoalOut, GoalPatch, GoalsOut

router = APIRouter(tags=["gamification"], responses=problem_responses(401, 422))


@router.get("/me/goals", response_model=GoalsOut)
async def list_goals(user: CurrentUserDep, session: SessionDep) -> dict[str, Any]:
    """Every goal (at most 20) with its progress in the current period, in the person's time zone."""
    today = await gamification.today_of(session, user.id)
    return {"items": [p.as_dict() for p in await service.goals_progress(session, user.id, today)]}


@router.post("/me/goals", response_model=GoalOut, status_code=201, responses=problem_responses(409))
async def create_goal(user: CurrentUserDep, session: SessionDep, body: GoalIn) -> dict[str, Any]:
    today = await gamification.today_of(session, user.id)
    goal = await service.create_goal(session, user.id, body, today)
    return (await service.progress(session, goal, today)).as_dict()


@router.get("/me/goals/{goal_id}", response_model=GoalOut, responses=problem_responses(404))
async def get_goal(user: CurrentUserDep, session: SessionDep, goal_id: uuid.UUID) -> dict[str, Any]:
    today = await gamification.today_of(session, user.id)
    goal = await service.owned_goal(session, user.id, goal_id)
    return (await service.progress(session, goal, today)).as_dict()


@router.patch("/me/goals/{goal_id}", response_model=GoalOut, responses=problem_responses(404))
async def update_goal(
    user: CurrentUserDep, session: SessionDep, goal_id: uuid.UUID, patch: GoalPatch
) -> dict[str, Any]:
    today = await gamification.today_of(session, user.id)
    goal = await service.update_goal(session, user.id, goal_id, patch, today)
    return (await service.progress(session, goal, today)).as_dict()


@router.delete("/me/goals/{goal_id}", status_code=204, responses=problem_responses(404))
async def delete_goal(user: CurrentUserDep, session: SessionDep, goal_id: uuid.UUID) -> Response:
    await service.delete_goal(session, user.id, goal_id)
    return Response(status_code=204)
