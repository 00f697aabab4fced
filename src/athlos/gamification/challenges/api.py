"""``/api/v1/challenges``: the challenges open to the signed-in person, setting one (staff, club admins),
taking part, and each challenge's leaderboard. A challenge one may not see answers 404."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Response

from athlos.accounts.deps import CurrentUserDep
from athlos.core.deps import SessionDep
from athlos.core.errors import problem_responses
from athlos.gamification import service as gamification
from athlos.gamification.challenges import service
from athlos.gamification.challenges.schemas import ChallengeIn, ChallengeOut, ChallengesOut, LeaderboardOut

router = APIRouter(tags=["gamification"], responses=problem_responses(401, 404, 422))


@router.get("/challenges", response_model=ChallengesOut)
async def list_challenges(user: CurrentUserDep, session: SessionDep) -> dict[str, Any]:
    """The challenges the person joined, and the running or coming ones open to them."""
    today = await gamification.today_of(session, user.id)
    joined, open_ones = await service.challenges_of(session, user.id, today, user.works_in("challenges"))
    return {"joined": [v.as_dict() for v in joined], "open": [v.as_dict() for v in open_ones]}


@router.post("/challenges", response_model=ChallengeOut, status_code=201, responses=problem_responses(403))
async def create_challenge(user: CurrentUserDep, session: SessionDep, body: ChallengeIn) -> dict[str, Any]:
    """Set a challenge: staff for everyone, a country or a region; a club's admins for their club."""
    today = await gamification.today_of(session, user.id)
    challenge = await service.create_challenge(session, user.id, user.works_in("challenges"), body, today)
    return (await service.view_of(session, user.id, challenge)).as_dict()


@router.get("/challenges/{challenge_id}", response_model=ChallengeOut)
async def get_challenge(user: CurrentUserDep, session: SessionDep, challenge_id: uuid.UUID) -> dict[str, Any]:
    challenge = await service.visible_challenge(session, user.id, challenge_id, user.works_in("challenges"))
    return (await service.view_of(session, user.id, challenge)).as_dict()


@router.post("/challenges/{challenge_id}/participation", response_model=ChallengeOut)
async def join(user: CurrentUserDep, session: SessionDep, challenge_id: uuid.UUID) -> dict[str, Any]:
    """Take part; the person's eligible activities inside the challenge's days count at once."""
    today = await gamification.today_of(session, user.id)
    return (await service.join(session, user.id, challenge_id, today, user.works_in("challenges"))).as_dict()


@router.delete("/challenges/{challenge_id}/participation", status_code=204)
async def leave(user: CurrentUserDep, session: SessionDep, challenge_id: uuid.UUID) -> Response:
    await service.leave(session, user.id, challenge_id, user.works_in("challenges"))
    return Response(status_code=204)


@router.get("/challenges/{challenge_id}/leaderboard", response_model=LeaderboardOut)
async def leaderboard(user: CurrentUserDep, session: SessionDep, challenge_id: uuid.UUID) -> dict[str, Any]:
    challenge = await service.visible_challenge(session, user.id, challenge_id, user.works_in("challenges"))
    return {"items": [vars_of(s) for s in await service.leaderboard(session, challenge)]}


def vars_of(standing: service.Standing) -> dict[str, Any]:
    return {
        "rank": standing.rank,
        "user_id": standing.user_id,
        "display_name": standing.display_name,
        "value": standing.value,
        "completed_at": standing.completed_at,
    }
