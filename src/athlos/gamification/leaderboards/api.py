"""``GET /api/v1/leaderboards``: the top of a board, the caller's rank and the people around them."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query

from athlos.accounts.deps import CurrentUserDep
from athlos.core.deps import RuntimeDep, SessionDep
from athlos.core.errors import problem_responses
from athlos.gamification.leaderboards import service
from athlos.gamification.leaderboards.boards import Metric, Period, Scope, Standing
from athlos.gamification.leaderboards.redis_store import RedisBoards
from athlos.gamification.leaderboards.schemas import LeaderboardOut

router = APIRouter(tags=["gamification"], responses=problem_responses(401, 404, 422))


def entry(result: service.Result, standing: Standing, viewer_id: uuid.UUID) -> dict[str, Any]:
    person = result.people.get(standing.user_id, service.Person(None, None))
    shown = person.display_name is not None
    return {
        "rank": standing.rank,
        "user_id": standing.user_id if shown else None,
        "display_name": person.display_name,
        "profile_url": person.profile_url,
        "value": standing.value,
        "me": standing.user_id == viewer_id,
    }


def as_dict(result: service.Result, query: service.Query, viewer_id: uuid.UUID) -> dict[str, Any]:
    board, found = result.board, result.answer
    return {
        "sport": board.sport,
        "metric": board.metric,
        "period": query.period,
        "period_key": board.period,
        "scope": board.scope,
        "place": board.place or None,
        "club_id": query.club_id if board.scope == "club" else None,
        "listed": result.listed,
        "top": [entry(result, s, viewer_id) for s in found.top],
        "me": entry(result, found.me, viewer_id) if found.me else None,
        "around_me": [entry(result, s, viewer_id) for s in found.around],
    }


@router.get("/leaderboards", response_model=LeaderboardOut)
async def read_leaderboard(
    user: CurrentUserDep,
    session: SessionDep,
    runtime: RuntimeDep,
    sport: Annotated[str, Query(max_length=32)] = "run",
    period: Period = "week",
    scope: Scope = "everyone",
    metric: Metric = "distance",
    club_id: uuid.UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> dict[str, Any]:
    """A board of one sport over this ISO week, this calendar month (both UTC) or all time, among
    everyone, the caller's country, region, age group or sex, a club's members or the people they
    follow. Ties share a rank ("1224"), listed by user id."""
    query = service.Query(sport, period, scope, metric, club_id, limit)
    store = RedisBoards(runtime.redis) if runtime.redis is not None else None
    result = await service.read_board(session, store, user.id, query)
    return as_dict(result, query, user.id)
