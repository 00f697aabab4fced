"""Goals: setting, changing and deleting them, their progress in the person's time zone, and telling
once per period when one is reached.

Progress counts the owner's activities (gamification's own facts of them) whose local day falls in the
goal's period. "On track" compares what is done with what an even pace to the target would have done
by the end of yesterday, so nobody is behind on the first morning.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Final

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.analytics import periods
from athlos.core.db import utcnow
from athlos.core.events import emit
from athlos.gamification.errors import GoalInvalid, GoalNotFound, TooManyGoals
from athlos.gamification.goals.models import Goal, GoalReached
from athlos.gamification.goals.schemas import GoalIn, GoalPatch
from athlos.gamification.models import ActivityRecord
from athlos.vocabulary.sports import SPORTS

GOAL_REACHED: Final = "gamification.goal_reached"
MOST_GOALS: Final = 20
# How far ahead a goal by a date may be set.
LONGEST_SPAN: Final = timedelta(days=5 * 366)

METRIC_COLUMNS: Final = {
    "distance": ActivityRecord.distance_m,
    "time": ActivityRecord.moving_time_s,
    "elevation": ActivityRecord.elevation_gain_m,
}


@dataclass(frozen=True, slots=True)
class Progress:
    goal: Goal
    start: date
    end: date
    value: float
    expected: float
    status: str

    @property
    def share(self) -> float:
        return min(self.value / self.goal.target, 1.0) if self.goal.target > 0 else 1.0

    def as_dict(self) -> dict[str, Any]:
        goal = self.goal
        return {
            "id": goal.id,
            "metric": goal.metric,
            "sport": goal.sport,
            "period": goal.period,
            "target": goal.target,
            "due_date": goal.due_date,
            "created_at": goal.created_at,
            "start": self.start,
            "end": self.end,
            "value": self.value,
            "share": self.share,
            "expected": self.expected,
            "status": self.status,
        }


def span(goal: Goal, day: date) -> tuple[date, date]:
    """The first and last local day of the goal's period holding ``day`` (its whole span by a date)."""
    if goal.period == "by_date":
        assert goal.due_date is not None
        return goal.start_date, goal.due_date
    start = periods.period_start(day, goal.period)  # type: ignore[arg-type]
    return start, periods.next_start(start, goal.period) - timedelta(days=1)  # type: ignore[arg-type]


async def done(session: AsyncSession, goal: Goal, first: date, last: date) -> float:
    """What the owner did towards the goal between two local days (both counted)."""
    measured = func.count() if goal.metric == "count" else func.sum(METRIC_COLUMNS[goal.metric])
    query = select(measured).where(
        ActivityRecord.owner_id == goal.owner_id, ActivityRecord.local_date.between(first, last)
    )
    if goal.sport is not None:
        query = query.where(ActivityRecord.sport == goal.sport)
    return float(await session.scalar(query) or 0.0)


async def progress(session: AsyncSession, goal: Goal, today: date) -> Progress:
    first, last = span(goal, today)
    value = await done(session, goal, first, last)
    days = (last - first).days + 1
    elapsed = min(max((today - first).days, 0), days)
    expected = goal.target * elapsed / days
    if value >= goal.target:
        status = "reached"
    elif today > last:
        status = "missed"
    else:
        status = "on_track" if value >= expected else "behind"
    return Progress(goal, first, last, value, expected, status)


async def list_goals(session: AsyncSession, owner_id: uuid.UUID) -> list[Goal]:
    return list(
        await session.scalars(
            select(Goal).where(Goal.owner_id == owner_id).order_by(Goal.created_at, Goal.id)
        )
    )


async def goals_progress(session: AsyncSession, owner_id: uuid.UUID, today: date) -> list[Progress]:
    return [await progress(session, goal, today) for goal in await list_goals(session, owner_id)]


async def owned_goal(session: AsyncSession, owner_id: uuid.UUID, goal_id: uuid.UUID) -> Goal:
    """The owner's goal; someone else's answers as if it did not exist."""
    goal = await session.get(Goal, goal_id)
    if goal is None or goal.owner_id != owner_id:
        raise GoalNotFound()
    return goal


def _check(sport: str | None, period: str, due_date: date | None, today: date) -> None:
    if sport is not None and sport not in SPORTS:
        raise GoalInvalid(f"Unknown sport {sport!r}.", code="goal_unknown_sport", field="sport")
    if period == "by_date":
        if due_date is None:
            raise GoalInvalid(
                "A goal by a date needs its date.", code="goal_due_date_missing", field="due_date"
            )
        if due_date < today:
            raise GoalInvalid("The date of the goal has passed.", code="goal_due_date_past", field="due_date")
        if due_date > today + LONGEST_SPAN:
            raise GoalInvalid(
                "Set a goal at most five years ahead.", code="goal_due_date_far", field="due_date"
            )
    elif due_date is not None:
        raise GoalInvalid(
            "Only a goal by a date has a date; the others repeat every period.",
            code="goal_due_date_unexpected",
            field="due_date",
        )


async def create_goal(session: AsyncSession, owner_id: uuid.UUID, body: GoalIn, today: date) -> Goal:
    """Set a goal (from ``today``, the owner's local day); a goal already reached is told at once."""
    count = await session.scalar(select(func.count()).select_from(Goal).where(Goal.owner_id == owner_id))
    if (count or 0) >= MOST_GOALS:
        raise TooManyGoals(MOST_GOALS)
    _check(body.sport, body.period, body.due_date, today)
    goal = Goal(
        owner_id=owner_id,
        metric=body.metric,
        sport=body.sport,
        period=body.period,
        target=body.target,
        start_date=today,
        due_date=body.due_date,
    )
    session.add(goal)
    await session.flush()
    await settle_goal(session, goal, [today])
    return goal


async def update_goal(
    session: AsyncSession, owner_id: uuid.UUID, goal_id: uuid.UUID, patch: GoalPatch, today: date
) -> Goal:
    goal = await owned_goal(session, owner_id, goal_id)
    changes = patch.model_dump(exclude_unset=True)
    sport = changes.get("sport", goal.sport)
    due_date = changes.get("due_date", goal.due_date)
    _check(sport, goal.period, due_date, today)
    goal.sport, goal.due_date = sport, due_date
    if changes.get("target") is not None:
        goal.target = changes["target"]
    await session.flush()
    await settle_goal(session, goal, [today])
    return goal


async def delete_goal(session: AsyncSession, owner_id: uuid.UUID, goal_id: uuid.UUID) -> None:
    goal = await owned_goal(session, owner_id, goal_id)
    await session.delete(goal)
    await session.flush()


async def settle_goal(session: AsyncSession, goal: Goal, days: Iterable[date]) -> None:
    """Tell of the goal reached in the periods holding ``days``, once per period."""
    for day in sorted(set(days)):
        first, last = span(goal, day)
        if not first <= day <= last:
            continue  # an activity before a goal by a date was set
        if await session.get(GoalReached, (goal.id, first)) is not None:
            continue
        if await done(session, goal, first, last) < goal.target:
            continue
        if not await _first_reached(session, goal.id, first):
            continue
        emit(
            session,
            GOAL_REACHED,
            goal.owner_id,
            {
                "user_id": str(goal.owner_id),
                "goal_id": str(goal.id),
                "period_start": first.isoformat(),
                "metric": goal.metric,
                "sport": goal.sport,
                "period": goal.period,
                "target": goal.target,
            },
        )
        await session.flush()


async def _first_reached(session: AsyncSession, goal_id: uuid.UUID, period_start: date) -> bool:
    """Record the goal reached in the period; False when another transaction recorded it first."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(GoalReached)
        .values(goal_id=goal_id, period_start=period_start, reached_at=utcnow())
        .on_conflict_do_nothing(index_elements=["goal_id", "period_start"])
        .returning(GoalReached.goal_id)
    )
    return (await session.scalar(statement)) is not None


async def settle_goals(session: AsyncSession, owner_id: uuid.UUID, days: Iterable[date]) -> None:
    """After the owner's activities of ``days`` changed: every goal those days count towards."""
    chosen = list(days)
    for goal in await list_goals(session, owner_id):
        await settle_goal(session, goal, chosen)


async def open_goals(session: AsyncSession, owner_id: uuid.UUID, today: date) -> list[Progress]:
    """The goals still running today (every repeating one, a goal by a date until its day)."""
    return [p for p in await goals_progress(session, owner_id, today) if p.status != "missed"]
