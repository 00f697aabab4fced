"""Privacy zones API: ``/me/privacy-zones``, the circles inside which others never see one's positions."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from athlos.accounts.deps import CurrentUserDep
from athlos.activities.zones import service as zones
from athlos.activities.zones.schemas import PrivacyZoneIn, PrivacyZoneOut, PrivacyZonePatch
from athlos.core.deps import SessionDep
from athlos.core.errors import problem_responses

router = APIRouter(tags=["privacy zones"], responses=problem_responses(401, 404, 422, 429))


@router.get("/me/privacy-zones", response_model=list[PrivacyZoneOut])
async def list_privacy_zones(user: CurrentUserDep, session: SessionDep) -> list[PrivacyZoneOut]:
    """All of one's zones (at most 20), oldest first."""
    rows = await zones.list_zones(session, user.id)
    return [PrivacyZoneOut.model_validate(row, from_attributes=True) for row in rows]


@router.post("/me/privacy-zones", status_code=status.HTTP_201_CREATED, response_model=PrivacyZoneOut)
async def create_privacy_zone(
    body: PrivacyZoneIn, user: CurrentUserDep, session: SessionDep
) -> PrivacyZoneOut:
    zone = await zones.create_zone(session, user.id, body.model_dump())
    return PrivacyZoneOut.model_validate(zone, from_attributes=True)


@router.patch("/me/privacy-zones/{zone_id}", response_model=PrivacyZoneOut)
async def update_privacy_zone(
    zone_id: uuid.UUID, body: PrivacyZonePatch, user: CurrentUserDep, session: SessionDep
) -> PrivacyZoneOut:
    changes = body.model_dump(exclude_unset=True, exclude_none=True)
    zone = await zones.update_zone(session, user.id, zone_id, changes)
    return PrivacyZoneOut.model_validate(zone, from_attributes=True)


@router.delete("/me/privacy-zones/{zone_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_privacy_zone(zone_id: uuid.UUID, user: CurrentUserDep, session: SessionDep) -> None:
    await zones.delete_zone(session, user.id, zone_id)
