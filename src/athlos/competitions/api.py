"""``/api/v1/races``: the races a caller may see (a club's race only to its members: 404 to anyone
else), setting and changing them (staff; a club's admins for their club), entering and withdrawing, the
field, the results and making them final."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response

from athlos.accounts.deps import CurrentUser, CurrentUserDep, OptionalUserDep
from athlos.competitions import entries, results, service
from athlos.competitions.schemas import EntrantOut, EntryOut, RaceIn, RaceOut, RacePatch, ResultList
from athlos.competitions.service import Viewer
from athlos.competitions.views import entry_facts, race_view
from athlos.core.deps import SessionDep
from athlos.core.errors import problem_responses
from athlos.core.pagination import Page, PageParams, page_params

router = APIRouter(tags=["races"], responses=problem_responses(422))
PageDep = Annotated[PageParams, Depends(page_params)]


def viewer_of(user: CurrentUser | None) -> Viewer:
    return Viewer(user.id, user.works_in("races")) if user is not None else Viewer(None)


@router.get("/races", response_model=Page[RaceOut])
async def list_races(
    user: OptionalUserDep,
    session: SessionDep,
    page: PageDep,
    phase: Literal["upcoming", "running", "past"] | None = None,
) -> dict[str, Any]:
    """The races the caller may see by start; ``phase=past``: the latest first."""
    viewer = viewer_of(user)
    races, next_cursor = await service.list_races(
        session, viewer, phase=phase, cursor=page.cursor, limit=page.limit
    )
    return {"items": [await race_view(session, viewer, race) for race in races], "next_cursor": next_cursor}


@router.post("/races", response_model=RaceOut, status_code=201, responses=problem_responses(401, 403, 409))
async def create_race(user: CurrentUserDep, session: SessionDep, body: RaceIn) -> dict[str, Any]:
    viewer = viewer_of(user)
    return await race_view(session, viewer, await service.create_race(session, viewer, body))


@router.get("/races/{race_id}", response_model=RaceOut, responses=problem_responses(404))
async def get_race(user: OptionalUserDep, session: SessionDep, race_id: uuid.UUID) -> dict[str, Any]:
    viewer = viewer_of(user)
    return await race_view(session, viewer, await service.visible_race(session, viewer, race_id))


@router.patch("/races/{race_id}", response_model=RaceOut, responses=problem_responses(401, 403, 404, 409))
async def update_race(
    user: CurrentUserDep, session: SessionDep, race_id: uuid.UUID, patch: RacePatch
) -> dict[str, Any]:
    viewer = viewer_of(user)
    return await race_view(session, viewer, await service.update_race(session, viewer, race_id, patch))


@router.post(
    "/races/{race_id}/registration",
    response_model=EntryOut,
    status_code=201,
    responses=problem_responses(401, 404, 409),
)
async def register(user: CurrentUserDep, session: SessionDep, race_id: uuid.UUID) -> dict[str, Any]:
    """Enter the race; entering again while entered returns the same entry. An entry fee is held from
    the caller's loyalty balance (409 ``loyalty_balance_insufficient`` when it does not cover it)."""
    viewer = viewer_of(user)
    entry = await entries.register(session, viewer, race_id)
    return entry_facts(await service.visible_race(session, viewer, race_id), entry)


@router.delete("/races/{race_id}/registration", status_code=204, responses=problem_responses(401, 404, 409))
async def withdraw(user: CurrentUserDep, session: SessionDep, race_id: uuid.UUID) -> Response:
    """Withdraw: before the start the entry fee comes back."""
    await entries.withdraw(session, viewer_of(user), race_id)
    return Response(status_code=204)


@router.get("/races/{race_id}/entrants", response_model=Page[EntrantOut], responses=problem_responses(404))
async def entrants(
    user: OptionalUserDep,
    session: SessionDep,
    race_id: uuid.UUID,
    limit: Annotated[int, Query(ge=1, le=100)] = 100,
    cursor: Annotated[int | None, Query(ge=0, description="The bib to continue after")] = None,
) -> dict[str, Any]:
    """The field by bib; a person's name only when the caller may see their profile."""
    field, last = await entries.field(session, viewer_of(user), race_id, after_bib=cursor or 0, limit=limit)
    return {
        "items": [_entrant(entrant) for entrant in field],
        "next_cursor": str(last) if last is not None else None,
    }


def _entrant(entrant: entries.Entrant) -> dict[str, Any]:
    return {name: getattr(entrant, name) for name in entries.Entrant.__slots__}


@router.get("/races/{race_id}/results", response_model=ResultList, responses=problem_responses(404))
async def race_results(
    user: OptionalUserDep,
    session: SessionDep,
    race_id: uuid.UUID,
    category: Annotated[str | None, Query(max_length=16)] = None,
    region: Annotated[str | None, Query(max_length=10)] = None,
) -> dict[str, Any]:
    """The results, fastest first (the first 200), of one category or region if asked."""
    found = await results.standings(session, viewer_of(user), race_id, category=category, region=region)
    return {"items": [standing.as_dict() for standing in found]}


@router.post(
    "/races/{race_id}/finalize", response_model=RaceOut, responses=problem_responses(401, 403, 404, 409)
)
async def finalize(user: CurrentUserDep, session: SessionDep, race_id: uuid.UUID) -> dict[str, Any]:
    """Make the results final once the race has ended (fair play's verdicts disqualify first)."""
    viewer = viewer_of(user)
    return await race_view(session, viewer, await results.finalize(session, viewer, race_id))
