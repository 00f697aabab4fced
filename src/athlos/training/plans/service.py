"""Training plans: make one (ending the last), read its calendar and workouts, tick a workout off
with the activity that did it, and end the plan. Services flush; the boundary commits."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Final

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.analytics import service as analytics
from athlos.core.db import utcnow
from athlos.training import predictions, zones
from athlos.training import service as training
from athlos.training.errors import PlanDatesOutOfRange, PlanNotFound
from athlos.training.plans import adaptive, generator, reminders
from athlos.training.plans.library import GOAL_SPORTS, RUNNING_GOALS
from athlos.training.plans.models import PlannedWorkout, TrainingPlan
from athlos.training.plans.schemas import PlanIn

# Without a VDOT, a step's zone is held by heart rate.
HEART_RATE_ZONE_OF: Final = {"easy": "z2", "threshold": "z4", "interval": "z5", "race": "z4"}


async def active_plan(session: AsyncSession, owner_id: uuid.UUID) -> TrainingPlan | None:
    return await session.scalar(
        select(TrainingPlan).where(TrainingPlan.owner_id == owner_id, TrainingPlan.ended_at.is_(None))
    )


async def the_active_plan(session: AsyncSession, owner_id: uuid.UUID) -> TrainingPlan:
    plan = await active_plan(session, owner_id)
    if plan is None:
        raise PlanNotFound()
    return plan


async def create_plan(session: AsyncSession, owner_id: uuid.UUID, body: PlanIn, today: date) -> TrainingPlan:
    """A plan from today to the target date for the person's current fitness; the active one ends."""
    try:
        days = generator.make_plan(body.goal, body.level, today, body.target_date, body.weekdays)
    except generator.PlanDatesRefused:
        raise PlanDatesOutOfRange() from None
    await end_plan(session, owner_id, missing_ok=True)
    vdot = (await training.fitness(session, owner_id))["vdot"] if body.goal in RUNNING_GOALS else None
    plan = TrainingPlan(
        owner_id=owner_id,
        goal=body.goal,
        level=body.level,
        start_date=today,
        target_date=body.target_date,
        weekdays=body.weekdays,
        vdot=vdot,
    )
    session.add(plan)
    await session.flush()
    session.add_all(
        PlannedWorkout(
            plan_id=plan.id,
            owner_id=owner_id,
            day=day.day,
            kind=day.kind,
            steps=[step.as_dict() for step in day.steps],
            distance_m=day.distance_m,
            duration_s=day.duration_s,
            session=day.session,
        )
        for day in days
    )
    await session.flush()
    reminders.schedule(session, plan)
    return plan


async def end_plan(session: AsyncSession, owner_id: uuid.UUID, *, missing_ok: bool = False) -> None:
    plan = await active_plan(session, owner_id)
    if plan is None:
        if missing_ok:
            return
        raise PlanNotFound()
    plan.ended_at = utcnow()
    await session.flush()


async def progress(session: AsyncSession, plan: TrainingPlan) -> tuple[int, int]:
    """How many workouts the plan has, and how many are done."""
    row = (
        await session.execute(
            select(func.count(), func.count(PlannedWorkout.activity_id)).where(
                PlannedWorkout.plan_id == plan.id
            )
        )
    ).one()
    return int(row[0]), int(row[1])


def plan_out(plan: TrainingPlan, counts: tuple[int, int]) -> dict[str, Any]:
    fields = ("id", "goal", "level", "start_date", "target_date", "weekdays", "vdot", "created_at")
    return {**{name: getattr(plan, name) for name in fields}, "workouts": counts[0], "done": counts[1]}


async def workouts_between(
    session: AsyncSession, plan: TrainingPlan, first: date | None = None, last: date | None = None
) -> list[PlannedWorkout]:
    query = select(PlannedWorkout).where(PlannedWorkout.plan_id == plan.id)
    if first is not None:
        query = query.where(PlannedWorkout.day >= first)
    if last is not None:
        query = query.where(PlannedWorkout.day <= last)
    return list(await session.scalars(query.order_by(PlannedWorkout.day, PlannedWorkout.id)))


async def the_plan_of(session: AsyncSession, workout: PlannedWorkout) -> TrainingPlan:
    plan = await session.get(TrainingPlan, workout.plan_id)
    if plan is None:
        raise PlanNotFound()
    return plan


async def planned_workout(
    session: AsyncSession, owner_id: uuid.UUID, workout_id: uuid.UUID
) -> PlannedWorkout:
    """One's own planned workout, of any plan; anyone else's is not found."""
    workout = await session.get(PlannedWorkout, workout_id)
    if workout is None or workout.owner_id != owner_id:
        raise PlanNotFound()
    return workout


def _zones_of(steps: list[dict[str, Any]]) -> list[str]:
    found: list[str] = []
    for step in steps:
        for zone in [step.get("zone"), *_zones_of(step.get("steps", []))]:
            if zone and zone not in found:
                found.append(zone)
    return found


async def targets(
    session: AsyncSession, owner_id: uuid.UUID, plan: TrainingPlan, workout: PlannedWorkout, today: date
) -> list[dict[str, Any]]:
    """What each zone of the workout means today: paces from the current VDOT (the race pace is
    Daniels' for the goal), else heart rates from the person's zones."""
    wanted = _zones_of(workout.steps)
    if not wanted:
        return []
    vdot = (await training.fitness(session, owner_id))["vdot"]
    if vdot is not None:
        pace = {z.key: (1000 / z.low, 1000 / z.high) for z in zones.pace_zones(vdot)}
        if plan.goal in RUNNING_GOALS:
            race_m = RUNNING_GOALS[plan.goal]
            race_pace = predictions.daniels_time(vdot, race_m) / race_m * 1000
            pace["race"] = (race_pace, race_pace)
        return [_target(key, pace=pace[key]) for key in wanted if key in pace]
    rates = await training.heart_rates(session, owner_id, today)
    heart = {z.key: (z.low, z.high) for z in zones.heart_rate_zones(rates.resting, rates.maximum)}
    return [_target(key, heart=heart[HEART_RATE_ZONE_OF.get(key, "z2")]) for key in wanted]


def _target(
    zone: str, *, pace: tuple[float, float] | None = None, heart: tuple[float, float] | None = None
) -> dict[str, Any]:
    """A zone's target with every key present: paces (slowest, fastest) or heart rates (low, high)."""
    return {
        "zone": zone,
        "slow_s_per_km": round(pace[0]) if pace else None,
        "fast_s_per_km": round(pace[1]) if pace else None,
        "low_bpm": heart[0] if heart else None,
        "high_bpm": heart[1] if heart else None,
    }


async def tick_off(session: AsyncSession, payload: dict[str, Any]) -> None:
    """The activity does the active plan's workout of its day (on the owner's clock) when its sport
    fits the plan and that workout is not done yet; redelivery changes nothing."""
    activity_id = uuid.UUID(payload["activity_id"])
    owner_id = uuid.UUID(payload["owner_id"])
    done = await session.scalar(select(PlannedWorkout.id).where(PlannedWorkout.activity_id == activity_id))
    plan = await active_plan(session, owner_id)
    if done is not None or plan is None or payload["sport"] not in GOAL_SPORTS[plan.goal]:
        return
    home = await analytics.time_zone_of(session, owner_id)
    day = training.local_date(datetime.fromisoformat(payload["start_time"]), payload.get("time_zone"), home)
    workout = await session.scalar(
        select(PlannedWorkout)
        .where(
            PlannedWorkout.plan_id == plan.id, PlannedWorkout.day == day, PlannedWorkout.activity_id.is_(None)
        )
        .limit(1)
    )
    if workout is not None:
        workout.activity_id = activity_id
        workout.done_at = utcnow()
        await session.flush()


async def untick(session: AsyncSession, payload: dict[str, Any]) -> None:
    """A deleted activity did nothing: its workout is open again."""
    await session.execute(
        update(PlannedWorkout)
        .where(PlannedWorkout.activity_id == uuid.UUID(payload["activity_id"]))
        .values(activity_id=None, done_at=None)
    )


async def week_adaptation(
    session: AsyncSession, owner_id: uuid.UUID, plan: TrainingPlan, week_start: date, today: date
) -> adaptive.Adaptation:
    """How the week from ``week_start`` adapts to the one before it (see :mod:`adaptive`)."""
    last_start = week_start - timedelta(days=7)
    last_week = await workouts_between(session, plan, last_start, week_start - timedelta(days=1))
    last_week = [w for w in last_week if w.day < today]
    load = await training.training_load(session, owner_id, 1, today)
    vdot = (await training.fitness(session, owner_id))["vdot"] if plan.goal in RUNNING_GOALS else None
    return adaptive.adapt(
        first_week=week_start <= plan.start_date,
        planned_last_week=len(last_week),
        done_last_week=sum(1 for w in last_week if w.activity_id is not None),
        ratio=load["ratio"],
        plan_vdot=plan.vdot,
        vdot=vdot,
    )


@dataclass(frozen=True, slots=True)
class ShownWorkout:
    """A planned workout as its week shows it, after :func:`adapted`."""

    id: uuid.UUID
    day: date
    kind: str
    steps: list[dict[str, Any]]
    distance_m: float | None
    duration_s: float | None
    session: str | None
    activity_id: uuid.UUID | None


def adapted(workout: PlannedWorkout, adaptation: adaptive.Adaptation) -> ShownWorkout:
    """A workout as the week shows it: its distance or time scaled, a quality session turned easy."""
    kind, steps = workout.kind, workout.steps
    if adaptation.ease_quality and kind in ("threshold", "intervals") and workout.duration_s:
        kind = "easy"
        steps = [{"kind": "run", "zone": "easy", "duration_s": round(workout.duration_s * adaptation.factor)}]
    scale = adaptation.factor if kind != "race" else 1.0
    return ShownWorkout(
        id=workout.id,
        day=workout.day,
        kind=kind,
        steps=steps,
        distance_m=round(workout.distance_m * scale, -2) if workout.distance_m else None,
        duration_s=round(workout.duration_s * scale) if workout.duration_s else None,
        session=workout.session,
        activity_id=workout.activity_id,
    )
