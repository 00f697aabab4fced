"""Fair play: ``POST /activities/{id}/flag``, the owner's ``GET /activities/{id}/eligibility``, and the
staff review under ``/staff/fair-play``."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, status

from athlos.accounts.deps import CurrentUser, CurrentUserDep, StaffOf
from athlos.activities.access import owned_activity
from athlos.core.deps import SessionDep
from athlos.core.errors import NotFound, problem_responses
from athlos.gamification.fair_play import service
from athlos.gamification.fair_play.models import COUNTED
from athlos.gamification.fair_play.schemas import (
    EligibilityOut,
    FairPlayReviewIn,
    FairPlayReviewOut,
    FlaggedOut,
    FlagIn,
    FlagOut,
)

router = APIRouter(tags=["gamification"], responses=problem_responses(401, 404, 422))
StaffDep = Annotated[CurrentUser, StaffOf("fair_play")]


@router.post(
    "/activities/{activity_id}/flag",
    status_code=status.HTTP_201_CREATED,
    response_model=FlagOut,
    responses=problem_responses(409),
)
async def flag(activity_id: uuid.UUID, body: FlagIn, user: CurrentUserDep, session: SessionDep) -> FlagOut:
    """Flag another person's activity as not done as recorded; it stays out of leaderboards,
    challenges and races until staff review it. One flag per person; never one's own."""
    row = await service.flag_activity(session, user.id, activity_id, body.reason)
    return FlagOut(id=row.id, status=row.status)


@router.get(
    "/activities/{activity_id}/eligibility", response_model=EligibilityOut, responses=problem_responses(403)
)
async def eligibility(activity_id: uuid.UUID, user: CurrentUserDep, session: SessionDep) -> EligibilityOut:
    """Whether the owner's activity counts in leaderboards, challenges and races, and why not."""
    await owned_activity(session, user.id, activity_id)
    verdict = await service.verdict_of(session, activity_id)
    if verdict is None:
        raise NotFound("This activity is still being looked at.", code="eligibility_pending")
    return EligibilityOut(
        activity_id=activity_id,
        eligibility=verdict.eligibility,
        counted=verdict.eligibility in COUNTED,
        speed_mps=verdict.speed_mps,
        limit_mps=verdict.limit_mps,
    )


@router.get("/staff/fair-play", response_model=list[FlaggedOut], include_in_schema=False)
async def flagged(staff: StaffDep, session: SessionDep) -> list[FlaggedOut]:
    """Activities with flags waiting, the longest waiting first (staff only)."""
    return [
        FlaggedOut.model_validate(view, from_attributes=True) for view in await service.open_flags(session)
    ]


@router.post(
    "/staff/fair-play/{activity_id}/review", response_model=FairPlayReviewOut, include_in_schema=False
)
async def review(
    activity_id: uuid.UUID, body: FairPlayReviewIn, staff: StaffDep, session: SessionDep
) -> FairPlayReviewOut:
    return FairPlayReviewOut(settled=await service.review(session, staff.id, activity_id, body.decision))
