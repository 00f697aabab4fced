"""``/api/v1/me/progress|records|calendar|comparison``: the signed-in person's analytics."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from athlos.accounts.deps import CurrentUserDep
from athlos.analytics import comparison, service
from athlos.analytics.periods import Period
from athlos.analytics.schemas import CalendarOut, ComparisonOut, ProgressOut, RecordsOut
from athlos.core.deps import SessionDep
from athlos.core.errors import InvalidInput, problem_responses
from athlos.vocabulary.sports import SPORTS

router = APIRouter(tags=["analytics"], responses=problem_responses(401, 422))

PeriodQuery = Annotated[Period, Query(description="The period holding the reference day")]
OnQuery = Annotated[
    date | None,
    Query(
        ge=date(1900, 1, 1),
        le=date(2200, 12, 31),
        description="Reference day (default: today in the person's time zone)",
    ),
]


@router.get("/me/progress", response_model=ProgressOut)
async def get_progress(
    user: CurrentUserDep, session: SessionDep, period: PeriodQuery = "week", on: OnQuery = None
) -> dict[str, object]:
    """Totals per sport of this week, month or year, against the one before, and the distance chart."""
    day = on or await service.today_of(session, user.id)
    return await service.progress(session, user.id, period, day)


@router.get("/me/records", response_model=RecordsOut)
async def get_records(user: CurrentUserDep, session: SessionDep) -> dict[str, object]:
    """Personal records, each with the history of the efforts that beat the one before."""
    return {"records": await service.records(session, user.id)}


@router.get("/me/calendar", response_model=CalendarOut)
async def get_calendar(
    user: CurrentUserDep,
    session: SessionDep,
    year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
) -> dict[str, object]:
    """Active days of a year (local days) for a heat map."""
    chosen = year or (await service.today_of(session, user.id)).year
    return {"year": chosen, "days": await service.calendar(session, user.id, chosen)}


@router.get("/me/comparison", response_model=ComparisonOut, responses=problem_responses(403, 409))
async def get_comparison(
    user: CurrentUserDep,
    session: SessionDep,
    sport: Annotated[str, Query(max_length=32)] = "run",
    period: PeriodQuery = "week",
    on: OnQuery = None,
) -> dict[str, object]:
    """Percentiles of distance and moving time among people who opted in, by country, region, age
    group and sex; 403 until the person opts in themselves."""
    if sport not in SPORTS:
        raise InvalidInput(f"Unknown sport {sport!r}.", code="unknown_sport")
    day = on or await service.today_of(session, user.id)
    return await comparison.compare(session, user.id, sport, period, day)
