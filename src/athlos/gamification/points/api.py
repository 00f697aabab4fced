"""``/api/v1/levels`` (the published thresholds) and ``/api/v1/me/points`` (balance, level, history)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from athlos.accounts.deps import CurrentUserDep
from athlos.core.deps import SessionDep
from athlos.core.errors import problem_responses
from athlos.core.pagination import Page, PageParams, page_params
from athlos.gamification.points import effort, service
from athlos.gamification.points.schemas import LevelsOut, PointsEntryOut, StandingOut

router = APIRouter(tags=["gamification"], responses=problem_responses(401, 422))


@router.get("/levels", response_model=LevelsOut)
async def get_levels() -> dict[str, Any]:
    """The points each level needs, and the most points one day can bring."""
    return {"levels": service.levels(), "daily_cap": effort.DAILY_CAP}


@router.get("/me/points", response_model=StandingOut)
async def get_points(user: CurrentUserDep, session: SessionDep) -> dict[str, Any]:
    """The signed-in person's points, level and the points of the next level."""
    return await service.standing(session, user.id)


@router.get("/me/points/history", response_model=Page[PointsEntryOut])
async def get_points_history(
    user: CurrentUserDep, session: SessionDep, page: Annotated[PageParams, Depends(page_params)]
) -> dict[str, Any]:
    """Every change of the person's points, newest first: awards, corrections after an edit, removals."""
    entries, next_cursor = await service.history(session, user.id, page.cursor, page.limit)
    return {"items": entries, "next_cursor": next_cursor}
