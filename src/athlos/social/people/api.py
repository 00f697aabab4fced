"""People search and suggestions: ``GET /people?q=`` and ``GET /people/suggestions``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from athlos.accounts.deps import CurrentUserDep
from athlos.core.deps import SessionDep
from athlos.core.errors import problem_responses
from athlos.social.people import service
from athlos.social.people.schemas import PersonFoundOut

router = APIRouter(tags=["social"], responses=problem_responses(401, 422))


@router.get("/people", response_model=list[PersonFoundOut])
async def search_people(
    user: CurrentUserDep,
    session: SessionDep,
    q: Annotated[str, Query(min_length=1, max_length=100, pattern=r"^[^\x00]*$")],
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
) -> list[PersonFoundOut]:
    """People whose name or city matches, among those the caller may see."""
    return [
        PersonFoundOut.model_validate(card, from_attributes=True)
        for card in await service.search(session, user.id, q, limit)
    ]


@router.get("/people/suggestions", response_model=list[PersonFoundOut])
async def suggestions(user: CurrentUserDep, session: SessionDep) -> list[PersonFoundOut]:
    """Whom to follow: friends of friends, then people who share clubs, then people of the region."""
    return [
        PersonFoundOut.model_validate(card, from_attributes=True)
        for card in await service.suggestions(session, user.id)
    ]
