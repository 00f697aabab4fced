"""The person's fitness and race predictions from their best efforts, and their training load from
their activities. Reads through the activities, analytics and profiles services; keeps no tables."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.profiles.service import get_profile
from athlos.activities.access import viewable_activity, viewable_streams
from athlos.activities.metrics.efforts import RUN_EFFORTS_M
from athlos.activities.series import derived
from athlos.activities.service import highest_heart_rate, load_figures_since
from athlos.analytics import service as analytics
from athlos.core.errors import NotFound
from athlos.training import fitness_fatigue, load, predictions, zones
from athlos.training.errors import ImplausibleEffort
from athlos.vocabulary.sports import get_sport

MAX_LOAD_DAYS: Final = 730
# The personal fitness–fatigue model learns from the runs of the last two years.
FIT_DAYS: Final = 730
# Fitness starts from zero: three of its time constants before the first day shown let it settle.
WARM_UP_DAYS: Final = 3 * load.FITNESS_DAYS
# Efforts shorter than a mile are sprints, outside both models.
SHORTEST_EFFORT_M: Final = 1500.0
# A maximum this close to the resting rate is a recording that never got going, not a maximum.
MIN_HEART_RATE_RESERVE: Final = 40


def check_effort(distance_m: float, time_s: float) -> None:
    # Under a second the models' minutes vanish (5e-324 s is a float, and no effort).
    if time_s < 1.0 or not 1.0 <= distance_m / time_s <= 11.0:
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
    activity_id: uuid.UUID | None = None


async def best_efforts(session: AsyncSession, user_id: uuid.UUID) -> list[BestEffort]:
    """The standing running records from a mile up, each with its VDOT."""
    found = []
    for record in await analytics.records(session, user_id):
        distance = RUN_EFFORTS_M.get(record["effort"])
        if record["sport"] != "run" or distance is None or distance < SHORTEST_EFFORT_M:
            continue
        time_s = float(record["value"])
        if time_s > 0:
            found.append(
                BestEffort(
                    record["effort"],
                    distance,
                    time_s,
                    predictions.vdot(distance, time_s),
                    record["activity_id"],
                )
            )
    return found


def personal_model(efforts: list[BestEffort]) -> tuple[predictions.EnduranceFit | None, str | None]:
    """The endurance fit over the efforts, and why it may not be used (None when it may): it needs
    efforts from two activities or more, and an exponent inside :data:`predictions.PLAUSIBLE_EXPONENT`."""
    fit = predictions.fit_endurance([(e.distance_m, e.time_s) for e in efforts])
    if fit is None:
        return None, None
    if len({e.activity_id for e in efforts}) < 2:
        return fit, "one_activity"
    if not fit.plausible:
        return fit, "implausible_exponent"
    return fit, None


async def fitness(session: AsyncSession, user_id: uuid.UUID) -> dict[str, Any]:
    """VDOT of the best effort (the one with the highest VDOT inside Daniels' range of durations),
    predictions from it, and the personal endurance exponent once there are three distances; the
    personal predictions only when that exponent may be trusted (:func:`personal_model`)."""
    efforts = await best_efforts(session, user_id)
    usable = [e for e in efforts if predictions.within(e.time_s, predictions.DANIELS_MINUTES)]
    fit, unused_because = personal_model(efforts)
    if not usable:
        return {"vdot": None, "best_effort": None, "endurance": None, "predictions": []}
    best = max(usable, key=lambda e: e.vdot)
    predicted = predictions.predictions(best.distance_m, best.time_s, None if unused_because else fit)
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
                "used": unused_because is None,
                "unused_because": unused_because,
            }
            if fit
            else None
        ),
        "predictions": predicted["predictions"],
    }


@dataclass(frozen=True, slots=True)
class HeartRates:
    """Resting and maximum heart rate with where each comes from: ``profile``; for the maximum also
    ``activities`` (the highest recorded) or ``age`` (220 − age); else ``default``."""

    resting: float
    maximum: float
    resting_source: str
    maximum_source: str


async def heart_rates(session: AsyncSession, user_id: uuid.UUID, today: date) -> HeartRates:
    profile = await get_profile(session, user_id)
    resting, resting_source = float(load.DEFAULT_RESTING_HR), "default"
    if profile.resting_heart_rate is not None:
        resting, resting_source = float(profile.resting_heart_rate), "profile"
    if profile.max_heart_rate is not None:
        return HeartRates(resting, float(profile.max_heart_rate), resting_source, "profile")
    recorded = await highest_heart_rate(session, user_id)
    if recorded is not None and recorded > resting + MIN_HEART_RATE_RESERVE:
        return HeartRates(resting, float(round(recorded)), resting_source, "activities")
    if profile.birth_year:
        return HeartRates(resting, float(220 - (today.year - profile.birth_year)), resting_source, "age")
    return HeartRates(resting, float(load.DEFAULT_MAX_HR), resting_source, "default")


async def physiology(
    session: AsyncSession, user_id: uuid.UUID, today: date
) -> tuple[load.Physiology, list[str]]:
    """Heart rates (:func:`heart_rates`) and sex from the profile; the second value names what is not
    from the profile (the men's TRIMP constants stand in for an unknown sex)."""
    rates = await heart_rates(session, user_id, today)
    profile = await get_profile(session, user_id)
    defaults = []
    if rates.resting_source != "profile":
        defaults.append("resting_hr")
    if rates.maximum_source != "profile":
        defaults.append("max_hr")
    if profile.sex not in ("male", "female"):
        defaults.append("sex")
    sex: load.Sex = "female" if profile.sex == "female" else "male"
    efforts = await best_efforts(session, user_id)
    best = max((e.vdot for e in efforts), default=None)
    threshold = predictions.threshold_velocity(best) if best else None
    return load.Physiology(rates.resting, rates.maximum, sex, threshold), defaults


def local_date(start: Any, zone: str | None, fallback: str) -> date:
    try:
        tz = ZoneInfo(zone or fallback)
    except (ZoneInfoNotFoundError, ValueError):
        tz = ZoneInfo("UTC")
    aware = start if start.tzinfo else start.replace(tzinfo=UTC)
    return aware.astimezone(tz).date()


async def workouts_since(session: AsyncSession, user_id: uuid.UUID, first: date) -> list[load.Workout]:
    """The person's activities from ``first`` on (their own clock), newest first, in one query of the
    columns load needs (a day early in UTC, so every zone's ``first`` is inside it)."""
    home = await analytics.time_zone_of(session, user_id)
    since = datetime.combine(first - timedelta(days=1), time.min, UTC)
    found: list[load.Workout] = []
    for row in await load_figures_since(session, user_id, since):
        day = local_date(row.start_time, row.time_zone, home)
        if day < first:
            continue
        seconds = row.moving_time_s or row.elapsed_time_s or 0.0
        found.append(
            load.Workout(
                day=day,
                minutes=seconds / 60.0,
                sport=row.sport,
                met=get_sport(row.sport).met,
                avg_hr=row.avg_heart_rate,
                distance_m=row.distance_m,
                perceived_effort=row.perceived_effort,
            )
        )
    return found


async def daily_loads(
    session: AsyncSession, user_id: uuid.UUID, first: date, today: date, body: load.Physiology
) -> dict[date, float]:
    """Each day's summed TRIMP from ``first`` to ``today`` (days without activities left out)."""
    daily: dict[date, float] = {}
    for workout in await workouts_since(session, user_id, first):
        if workout.day <= today:
            daily[workout.day] = daily.get(workout.day, 0.0) + load.workout_load(workout, body)[0]
    return daily


async def training_load(session: AsyncSession, user_id: uuid.UUID, days: int, today: date) -> dict[str, Any]:
    """The last ``days`` days (today included) of load, fitness, fatigue and form, with the
    acute:chronic ratio of today and its advice, and the heart-rate figures used."""
    first_shown = today - timedelta(days=days - 1)
    first = first_shown - timedelta(days=WARM_UP_DAYS)
    body, defaults = await physiology(session, user_id, today)
    daily = await daily_loads(session, user_id, first, today, body)
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


def run_performance(best: dict[str, Any]) -> float | None:
    """A run's performance: the highest VDOT of its best efforts from a mile up inside Daniels' range."""
    found = [
        predictions.vdot(RUN_EFFORTS_M[effort], float(seconds))
        for effort, seconds in best.items()
        if RUN_EFFORTS_M.get(effort, 0.0) >= SHORTEST_EFFORT_M
        and predictions.within(float(seconds), predictions.DANIELS_MINUTES)
    ]
    return max(found, default=None)


async def fitness_fatigue_model(session: AsyncSession, user_id: uuid.UUID, today: date) -> dict[str, Any]:
    """Banister's model with time constants fitted to the performances of the runs of the last
    :data:`FIT_DAYS` days against their daily loads (:mod:`fitness_fatigue`); 42 and 7 days, with the
    reason, when the fit may not be used."""
    first_seen = today - timedelta(days=FIT_DAYS - 1)
    first = first_seen - timedelta(days=WARM_UP_DAYS)
    body, _defaults = await physiology(session, user_id, today)
    daily = await daily_loads(session, user_id, first, today, body)
    loads = np.zeros((today - first).days + 1)
    for day, value in daily.items():
        loads[(day - first).days] = value
    seen: dict[int, float] = {}
    for row in await analytics.best_efforts_since(session, user_id, first_seen):
        performance = run_performance(row.best_efforts) if get_sport(row.sport).run_best_efforts else None
        if performance is not None and row.local_date <= today:
            index = (row.local_date - first).days
            seen[index] = max(seen.get(index, 0.0), performance)
    days = np.array(sorted(seen), dtype=np.int64)
    model = fitness_fatigue.fit(loads, days, np.array([seen[d] for d in days]))
    return {
        "fitness_days": round(model.fitness_days, 1),
        "fatigue_days": round(model.fatigue_days, 1),
        "used": model.used,
        "unused_because": model.unused_because,
        "performances": model.performances,
        "fitted": (
            {
                "fitness_days": model.fitted_fitness_days,
                "fatigue_days": model.fitted_fatigue_days,
                "fitness_days_error": model.fitness_days_error,
                "fatigue_days_error": model.fatigue_days_error,
                "r_squared": model.r_squared,
                "rmse_vdot": model.rmse,
            }
            if model.fitted_fitness_days is not None
            else None
        ),
        "peak_form_in_days": model.peak_form_in_days,
    }


def _zone_rows(found: list[zones.Zone]) -> list[dict[str, Any]]:
    return [{"key": zone.key, "low": zone.low, "high": zone.high} for zone in found]


async def my_zones(session: AsyncSession, user_id: uuid.UUID, today: date) -> dict[str, Any]:
    """Heart-rate zones (Karvonen) with where their heart rates come from, and pace zones from the
    VDOT when there is one."""
    rates = await heart_rates(session, user_id, today)
    of_vdot = (await fitness(session, user_id))["vdot"]
    return {
        "heart_rate": {
            "resting": rates.resting,
            "maximum": rates.maximum,
            "resting_source": rates.resting_source,
            "maximum_source": rates.maximum_source,
            "zones": _zone_rows(zones.heart_rate_zones(rates.resting, rates.maximum)),
        },
        "pace": (
            {"vdot": of_vdot, "zones": _zone_rows(zones.pace_zones(of_vdot))} if of_vdot is not None else None
        ),
    }


async def activity_zones(
    session: AsyncSession, viewer_id: uuid.UUID, activity_id: uuid.UUID, today: date
) -> dict[str, Any]:
    """Seconds the activity spent in each heart-rate zone and, for a run, each pace zone. Zones come
    from the owner's own heart rates and fitness, so only the owner sees them; anyone else is told
    there is no such activity."""
    activity = await viewable_activity(session, viewer_id, activity_id)
    if activity.owner_id != viewer_id:
        raise NotFound("There is no such activity.", code="activity_not_found")
    streams, _shown = await viewable_streams(session, viewer_id, activity)
    rates = await heart_rates(session, viewer_id, today)
    heart_rate = None
    if np.isfinite(streams.heart_rate).any():
        hr_zones = zones.heart_rate_zones(rates.resting, rates.maximum)
        heart_rate = zones.time_in_zones(streams.time, streams.heart_rate, hr_zones)
    pace = None
    of_vdot = (
        (await fitness(session, viewer_id))["vdot"] if get_sport(activity.sport).run_best_efforts else None
    )
    if of_vdot is not None and activity.has_gps:
        speed = derived(streams, activity.sport)["speed"]
        pace = zones.time_in_zones(streams.time, speed, zones.pace_zones(of_vdot))
    return {"activity_id": activity.id, "heart_rate": heart_rate, "pace": pace}
