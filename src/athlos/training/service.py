"""The person's fitness and race predictions from their best efforts, and their training load from
their activities. Reads through the activities, analytics and profiles services; keeps no tables."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.profiles.service import get_profile
from athlos.activities.metrics.efforts import RUN_EFFORTS_M
from athlos.activities.service import list_own_activities
from athlos.analytics import service as analytics
from athlos.training import load, predictions
from athlos.training.errors import ImplausibleEffort
from athlos.vocabulary.sports import get_sport

MAX_LOAD_DAYS: Final = 730
# Fitness starts from zero: three of its time constants before the first day shown let it settle.
WARM_UP_DAYS: Final = 3 * load.FITNESS_DAYS
PAGE: Final = 100
# Efforts shorter than a mile are sprints, outside both models.
SHORTEST_EFFORT_M: Final = 1500.0


def check_effort(distance_m: float, time_s: float) -> None:
    speed = distance_m / time_s
    if not 1.0 <= speed <= 11.0:
        raise ImplausibleEffort()


def effort_predictions(
    distance_m: float, time_s: float, personal: predictions.EnduranceFit | None = None
) -> dict[str, Any]:
    check_effort(distance_m, time_s)
    return predictions.predictions(distance_m, time_s, personal)


@dataclass(frozen=True, slots=True)
class BestEffort:
    effort: str
    distance_m: float
    time_s: float
    vdot: float


async def best_efforts(session: AsyncSession, user_id: uuid.UUID) -> list[BestEffort]:
    """The standing running records from a mile up, each with its VDOT."""
    found = []
    for record in await analytics.records(session, user_id):
        distance = RUN_EFFORTS_M.get(record["effort"])
        if record["sport"] != "run" or distance is None or distance < SHORTEST_EFFORT_M:
            continue
        time_s = float(record["value"])
        if time_s > 0:
            found.append(BestEffort(record["effort"], distance, time_s, predictions.vdot(distance, time_s)))
    return found


async def fitness(session: AsyncSession, user_id: uuid.UUID) -> dict[str, Any]:
    """VDOT of the best effort (the one with the highest VDOT inside Daniels' range of durations),
    predictions from it, and the personal endurance exponent once there are three distances."""
    efforts = await best_efforts(session, user_id)
    usable = [e for e in efforts if predictions.within(e.time_s, predictions.DANIELS_MINUTES)]
    fit = predictions.fit_endurance([(e.distance_m, e.time_s) for e in efforts])
    if not usable:
        return {"vdot": None, "best_effort": None, "endurance": None, "predictions": []}
    best = max(usable, key=lambda e: e.vdot)
    predicted = predictions.predictions(best.distance_m, best.time_s, fit)
    return {
        "vdot": round(best.vdot, 1),
        "best_effort": {
            "effort": best.effort,
            "distance_m": best.distance_m,
            "time_s": best.time_s,
            "vdot": round(best.vdot, 1),
        },
        "endurance": (
            {
                "exponent": round(fit.exponent, 3),
                "standard_error": round(fit.standard_error, 3),
                "distances": fit.distances,
            }
            if fit
            else None
        ),
        "predictions": predicted["predictions"],
    }


async def physiology(
    session: AsyncSession, user_id: uuid.UUID, today: date
) -> tuple[load.Physiology, list[str]]:
    """Resting and maximum heart rate and sex from the profile; what is missing is a default (resting
    60, maximum 220 − age or else 190, the men's TRIMP constants), named in the second value."""
    profile = await get_profile(session, user_id)
    defaults = []
    resting = profile.resting_heart_rate
    if resting is None:
        resting = load.DEFAULT_RESTING_HR
        defaults.append("resting_hr")
    maximum = profile.max_heart_rate
    if maximum is None:
        maximum = 220 - (today.year - profile.birth_year) if profile.birth_year else load.DEFAULT_MAX_HR
        defaults.append("max_hr")
    if profile.sex not in ("male", "female"):
        defaults.append("sex")
    sex: load.Sex = "female" if profile.sex == "female" else "male"
    efforts = await best_efforts(session, user_id)
    best = max((e.vdot for e in efforts), default=None)
    threshold = predictions.threshold_velocity(best) if best else None
    return load.Physiology(float(resting), float(maximum), sex, threshold), defaults


def _local_date(start: Any, zone: str | None, fallback: str) -> date:
    try:
        tz = ZoneInfo(zone or fallback)
    except (ZoneInfoNotFoundError, ValueError):
        tz = ZoneInfo("UTC")
    aware = start if start.tzinfo else start.replace(tzinfo=UTC)
    return aware.astimezone(tz).date()


async def workouts_since(session: AsyncSession, user_id: uuid.UUID, first: date) -> list[load.Workout]:
    """The person's activities from ``first`` on (their own clock), newest first, page by page."""
    home = await analytics.time_zone_of(session, user_id)
    found: list[load.Workout] = []
    cursor: str | None = None
    while True:
        page, cursor = await list_own_activities(session, user_id, cursor, PAGE)
        for activity in page:
            day = _local_date(activity.start_time, activity.time_zone, home)
            if day < first:
                return found
            seconds = activity.moving_time_s or activity.elapsed_time_s or 0.0
            found.append(
                load.Workout(
                    day=day,
                    minutes=seconds / 60.0,
                    sport=activity.sport,
                    met=get_sport(activity.sport).met,
                    avg_hr=activity.avg_heart_rate,
                    distance_m=activity.distance_m,
                    perceived_effort=activity.perceived_effort,
                )
            )
        if cursor is None:
            return found


async def training_load(session: AsyncSession, user_id: uuid.UUID, days: int, today: date) -> dict[str, Any]:
    """The last ``days`` days (today included) of load, fitness, fatigue and form, with the
    acute:chronic ratio of today and its advice, and the heart-rate figures used."""
    first_shown = today - timedelta(days=days - 1)
    first = first_shown - timedelta(days=WARM_UP_DAYS)
    body, defaults = await physiology(session, user_id, today)
    daily: dict[date, float] = {}
    for workout in await workouts_since(session, user_id, first):
        if workout.day <= today:
            daily[workout.day] = daily.get(workout.day, 0.0) + load.workout_load(workout, body)[0]
    series = load.load_series(daily, first, today)
    ratio = load.acute_chronic_ratio(series[-1])
    return {
        "series": [day.as_dict() for day in series if day.date >= first_shown],
        "ratio": round(ratio, 2) if ratio is not None else None,
        "advice": load.ratio_advice(ratio),
        "assumptions": {
            "resting_hr": body.resting_hr,
            "max_hr": body.max_hr,
            "sex": body.sex,
            "defaults": defaults,
        },
    }
