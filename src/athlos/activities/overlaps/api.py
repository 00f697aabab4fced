"""Overlapping activities of the owner, and merging two into one."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict

from athlos.accounts.deps import CurrentUserDep
from athlos.activities.api import activity_detail
from athlos.activities.overlaps.service import list_overlaps, merge_activities
from athlos.activities.schemas import ActivityListItem, ActivityOut
from athlos.core.deps import SessionDep
from athlos.core.errors import problem_responses

router = APIRouter(tags=["activities"], responses=problem_responses(401, 404, 422, 429))


class OverlapOut(BaseModel):
    activity: ActivityListItem
    shared_s: float


class OverlapList(BaseModel):
    items: list[OverlapOut]


class MergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    other_id: uuid.UUID


@router.get("/activities/{activity_id}/overlaps", response_model=OverlapList)
async def get_overlaps(activity_id: uuid.UUID, user: CurrentUserDep, session: SessionDep) -> OverlapList:
    """The owner's other activities recorded at the same time as this one (only the owner sees them)."""
    found = await list_overlaps(session, user.id, activity_id)
    return OverlapList(
        items=[
            OverlapOut(
                activity=ActivityListItem.model_validate(overlap.activity, from_attributes=True),
                shared_s=round(overlap.shared_s, 1),
            )
            for overlap in found
        ]
    )


@router.post("/activities/{activity_id}/merge", response_model=ActivityOut)
async def merge(
    activity_id: uuid.UUID, body: MergeIn, user: CurrentUserDep, session: SessionDep
) -> ActivityOut:
    """Merge ``other_id`` into this activity: the richer GPS track stays, the channels it lacks are filled
    from the other recording, the summary is computed again and ``other_id`` is deleted."""
    return await activity_detail(
        session, await merge_activities(session, user.id, activity_id, body.other_id)
    )
