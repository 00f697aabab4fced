"""``/api/v1/me/identities``: the sign-ins at OpenID Connect providers linked to one's account.

Linking needs the browser flow (``oidc.pages``); API clients may list and unlink.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from fastapi import APIRouter, Response, status
from pydantic import BaseModel

from athlos.accounts.deps import CurrentUserDep
from athlos.accounts.oidc import service as oidc
from athlos.core.deps import SessionDep
from athlos.core.errors import problem_responses

router = APIRouter(prefix="/me/identities", tags=["me"], responses=problem_responses(401, 404, 409, 422))


class IdentityOut(BaseModel):
    id: uuid.UUID
    issuer: str
    email: str | None
    created_at: datetime
    last_used_at: datetime


class IdentitiesOut(BaseModel):
    items: list[IdentityOut]


@router.get("", response_model=IdentitiesOut)
async def list_identities(user: CurrentUserDep, session: SessionDep) -> IdentitiesOut:
    rows = await oidc.identities(session, user.id)
    return IdentitiesOut(
        items=[
            IdentityOut(
                id=row.id,
                issuer=row.issuer,
                email=row.email,
                created_at=row.created_at,
                last_used_at=row.last_used_at,
            )
            for row in rows
        ]
    )


@router.delete("/{identity_id}", status_code=status.HTTP_204_NO_CONTENT)
async def unlink_identity(identity_id: uuid.UUID, user: CurrentUserDep, session: SessionDep) -> Response:
    await oidc.unlink(session, user.id, identity_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
