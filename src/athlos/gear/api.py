"""``/api/v1/gear``: the signed-in person's gear (add, read, change, retire, bring back, delete), and
``/api/v1/activities/{id}/gear``: an activity's gear, seen by whoever may see it, chosen by its owner."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Response

from athlos.accounts.deps import CurrentUserDep, OptionalUserDep
from athlos.core.deps import SessionDep
from athlos.core.errors import problem_responses
from athlos.gear import service
from athlos.gear.models import GearItem
from athlos.gear.schemas import ActivityGearOut, AssignGearIn, GearIn, GearList, GearOut, GearPatch

router = APIRouter(tags=["gear"], responses=problem_responses(401, 422))


def summary(item: GearItem | None) -> dict[str, Any] | None:
    if item is None:
        return None
    return {"id": item.id, "kind": item.kind, "brand": item.brand, "model": item.model}


@router.get("/gear", response_model=GearList)
async def list_gear(user: CurrentUserDep, session: SessionDep) -> dict[str, Any]:
    """Every item (at most 100), in use first."""
    return {"items": [view.as_dict() for view in await service.list_gear(session, user.id)]}


@router.post("/gear", response_model=GearOut, status_code=201, responses=problem_responses(409))
async def create_gear(user: CurrentUserDep, session: SessionDep, body: GearIn) -> dict[str, Any]:
    item = await service.create_gear(session, user.id, body)
    return (await service.view_of(session, item)).as_dict()


@router.get("/gear/{gear_id}", response_model=GearOut, responses=problem_responses(404))
async def get_gear(user: CurrentUserDep, session: SessionDep, gear_id: uuid.UUID) -> dict[str, Any]:
    item = await service.owned_gear(session, user.id, gear_id)
    return (await service.view_of(session, item)).as_dict()


@router.patch("/gear/{gear_id}", response_model=GearOut, responses=problem_responses(404))
async def update_gear(
    user: CurrentUserDep, session: SessionDep, gear_id: uuid.UUID, patch: GearPatch
) -> dict[str, Any]:
    item = await service.update_gear(session, user.id, gear_id, patch)
    return (await service.view_of(session, item)).as_dict()


@router.post("/gear/{gear_id}/retire", response_model=GearOut, responses=problem_responses(404))
async def retire_gear(user: CurrentUserDep, session: SessionDep, gear_id: uuid.UUID) -> dict[str, Any]:
    item = await service.retire_gear(session, user.id, gear_id)
    return (await service.view_of(session, item)).as_dict()


@router.post("/gear/{gear_id}/unretire", response_model=GearOut, responses=problem_responses(404))
async def unretire_gear(user: CurrentUserDep, session: SessionDep, gear_id: uuid.UUID) -> dict[str, Any]:
    item = await service.unretire_gear(session, user.id, gear_id)
    return (await service.view_of(session, item)).as_dict()


@router.delete("/gear/{gear_id}", status_code=204, responses=problem_responses(404))
async def delete_gear(user: CurrentUserDep, session: SessionDep, gear_id: uuid.UUID) -> Response:
    await service.delete_gear(session, user.id, gear_id)
    return Response(status_code=204)


@router.get(
    "/activities/{activity_id}/gear", response_model=ActivityGearOut, responses=problem_responses(404)
)
async def activity_gear(user: OptionalUserDep, session: SessionDep, activity_id: uuid.UUID) -> dict[str, Any]:
    _, item = await service.gear_of_activity(session, user.id if user else None, activity_id)
    return {"activity_id": activity_id, "gear": summary(item)}


@router.put(
    "/activities/{activity_id}/gear", response_model=ActivityGearOut, responses=problem_responses(404)
)
async def assign_gear(
    user: CurrentUserDep, session: SessionDep, activity_id: uuid.UUID, body: AssignGearIn
) -> dict[str, Any]:
    item = await service.assign_gear(session, user.id, activity_id, body.gear_id)
    return {"activity_id": activity_id, "gear": summary(item)}
