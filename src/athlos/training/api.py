"""``/api/v1/training/predictions`` (anyone) and ``/api/v1/me/training/*`` (the signed-in person)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query

from athlos.accounts.deps import CurrentUserDep
from athlos.analytics import service as analytics
from athlos.core.deps import SessionDep
from athlos.core.errors import problem_responses
from athlos.training import service
from athlos.training.schemas import (
    ActivityZonesOut,
    FitnessFatigueOut,
    FitnessOut,
    LoadDayOut,
    PredictionsOut,
    ReadinessOut,
    ZonesOut,
)

router = APIRouter(tags=["training"], responses=problem_responses(422))


@router.get("/training/predictions", response_model=PredictionsOut)
async def predictions(
    distance_m: Annotated[float, Query(gt=0, le=1_000_000)],
    time_s: Annotated[float, Query(gt=0, le=7 * 24 * 3600)],
) -> dict[str, Any]:
    """VDOT of one effort and its Daniels and Riegel equivalents over 5 km, 10 km, the half and the
    marathon; ``valid`` tells whether each formula is inside the range it was made for."""
    return service.effort_predictions(distance_m, time_s)


@router.get("/me/training/fitness", response_model=FitnessOut, responses=problem_responses(401))
async def my_fitness(user: CurrentUserDep, session: SessionDep) -> dict[str, Any]:
    """The VDOT of one's best running effort, predictions from it, and the personal endurance
    exponent (with its standard error) once best efforts over three distances exist."""
    return await service.fitness(session, user.id)


@router.get("/me/training/load", response_model=list[LoadDayOut], responses=problem_responses(401))
async def my_load(
    user: CurrentUserDep,
    session: SessionDep,
    days: Annotated[int, Query(ge=1, le=service.MAX_LOAD_DAYS)] = 90,
) -> list[dict[str, Any]]:
    """Daily training load (TRIMP) with fitness (42-day), fatigue (7-day) and form (the previous day's
    fitness minus fatigue), oldest day first, ending today."""
    today = await analytics.today_of(session, user.id)
    load: list[dict[str, Any]] = (await service.training_load(session, user.id, days, today))["series"]
    return load


@router.get(
    "/me/training/fitness-fatigue", response_model=FitnessFatigueOut, responses=problem_responses(401)
)
async def my_fitness_fatigue(user: CurrentUserDep, session: SessionDep) -> dict[str, Any]:
    """The personal fitness–fatigue model: Banister's two time constants fitted to the VDOT of one's
    runs' best efforts against one's daily load over the last two years, with the fit's quality and
    standard errors; 42 and 7 days, with ``unused_because``, when the data is too thin or the fit
    implausible."""
    today = await analytics.today_of(session, user.id)
    return await service.fitness_fatigue_model(session, user.id, today)


@router.get("/me/training/readiness", response_model=ReadinessOut, responses=problem_responses(401))
async def my_readiness(user: CurrentUserDep, session: SessionDep) -> dict[str, Any]:
    """Today's acute:chronic ratio (fatigue over fitness) with advice, and the heart-rate values the
    load was computed with (``defaults`` names those not taken from the profile)."""
    today = await analytics.today_of(session, user.id)
    load = await service.training_load(session, user.id, 1, today)
    return {key: load[key] for key in ("ratio", "advice", "assumptions")}


@router.get("/me/training/zones", response_model=ZonesOut, responses=problem_responses(401))
async def my_zones(user: CurrentUserDep, session: SessionDep) -> dict[str, Any]:
    """One's heart-rate zones (Karvonen, from the profile's resting and maximum heart rate, else the
    highest recorded) and pace zones (Daniels, from one's VDOT)."""
    today = await analytics.today_of(session, user.id)
    return await service.my_zones(session, user.id, today)


@router.get(
    "/activities/{activity_id}/training-zones",
    response_model=ActivityZonesOut,
    responses=problem_responses(401, 404),
)
async def activity_zones(activity_id: uuid.UUID, user: CurrentUserDep, session: SessionDep) -> dict[str, Any]:
    """Time one's own activity spent in each of one's zones; another person's activity is a 404."""
    today = await analytics.today_of(session, user.id)
    return await service.activity_zones(session, user.id, activity_id, today)
