"""The reminder of a planned workout, at 07:00 on its day in the person's time zone: the morning is
when a runner decides when to fit the run in. One event per plan waits (``Deferred``) for the next
workout's reminder, tells the person unless the workout is done, then schedules the next one; a plan
ended or replaced stops its chain. Turning the type off is the notifications' preferences' business."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.analytics import service as analytics
from athlos.core.events import emit
from athlos.training.plans.models import PlannedWorkout, TrainingPlan

SCHEDULED: Final = "training.workout_reminder_scheduled"
DUE: Final = "training.workout_reminder_due"
REMIND_AT: Final = time(7, 0)


def zone_of(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def due_at(day: date, zone: str) -> datetime:
    """When the reminder of a workout on ``day`` is due: 07:00 that day on the person's clock, in UTC."""
    return datetime.combine(day, REMIND_AT, zone_of(zone)).astimezone(UTC)


def schedule(session: AsyncSession, plan: TrainingPlan) -> None:
    """Start the plan's chain of reminders from its first day."""
    _schedule_from(session, plan, plan.start_date)


def _schedule_from(session: AsyncSession, plan: TrainingPlan, day: date) -> None:
    emit(
        session,
        SCHEDULED,
        plan.id,
        {"plan_id": str(plan.id), "user_id": str(plan.owner_id), "day": day.isoformat()},
    )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def remind(session: AsyncSession, payload: dict[str, Any], now: datetime) -> float | None:
    """Handle the plan's next reminder from ``payload["day"]`` on: the seconds to wait while it is not
    due, else None after telling the person (when the workout is still to do, its day has not passed and
    the plan was made before the reminder's time) and scheduling the next one."""
    plan = await session.get(TrainingPlan, uuid.UUID(payload["plan_id"]))
    if plan is None or plan.ended_at is not None:
        return None
    workout = await session.scalar(
        select(PlannedWorkout)
        .where(PlannedWorkout.plan_id == plan.id, PlannedWorkout.day >= date.fromisoformat(payload["day"]))
        .order_by(PlannedWorkout.day, PlannedWorkout.id)
        .limit(1)
    )
    if workout is None:
        return None
    zone = await analytics.time_zone_of(session, plan.owner_id)
    due = due_at(workout.day, zone)
    if now < due:
        return (due - now).total_seconds()
    still_today = now.astimezone(zone_of(zone)).date() == workout.day
    if workout.activity_id is None and still_today and _aware(plan.created_at) <= due:
        emit(
            session,
            DUE,
            workout.id,
            {
                "user_id": str(plan.owner_id),
                "plan_id": str(plan.id),
                "workout_id": str(workout.id),
                "day": workout.day.isoformat(),
                "kind": workout.kind,
                "steps": workout.steps,
                "distance_m": workout.distance_m,
                "session": workout.session,
            },
        )
    _schedule_from(session, plan, date.fromordinal(workout.day.toordinal() + 1))
    return None
