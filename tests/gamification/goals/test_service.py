"""Goals: progress in the person's time zone, on track or behind from the pace so far, reached once per
period, and refused when they cannot be."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from athlos.core.db import Database
from athlos.core.errors import AppError
from athlos.core.events import registry
from athlos.gamification import handlers
from athlos.gamification.goals import service
from athlos.gamification.goals.schemas import GoalIn, GoalPatch
from tests.analytics.conftest import new_person
from tests.gamification.helpers import events, logged

MONDAY = date(2026, 3, 2)


def at(day: date, hour: int = 7) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


async def set_goal(db: Database, owner: uuid.UUID, today: date = MONDAY, **body: object) -> uuid.UUID:
    async with db.unit_of_work() as session:
        return (await service.create_goal(session, owner, GoalIn.model_validate(body), today)).id


async def progress_on(db: Database, owner: uuid.UUID, today: date) -> list[service.Progress]:
    async with db.sessionmaker() as session:
        return await service.goals_progress(session, owner, today)


async def test_on_track_or_behind_follows_the_pace_so_far(db: Database, bus) -> None:
    owner = await new_person(db, bus)
    await set_goal(db, owner, metric="distance", period="week", target=70_000)
    await logged(db, bus, owner, at(MONDAY + timedelta(days=1)), distance_m=10_000)
    await logged(db, bus, owner, at(MONDAY + timedelta(days=2)), distance_m=10_000)
    thursday = MONDAY + timedelta(days=3)
    [behind] = await progress_on(db, owner, thursday)
    # Three days of seven gone: an even pace would have done 30 km.
    assert (behind.start, behind.end, behind.value, behind.expected) == (
        MONDAY,
        date(2026, 3, 8),
        20_000,
        30_000,
    )
    assert behind.status == "behind"
    assert behind.share == pytest.approx(2 / 7)
    await logged(db, bus, owner, at(thursday), distance_m=15_000)
    [on_track] = await progress_on(db, owner, thursday)
    assert (on_track.value, on_track.status) == (35_000, "on_track")
    # Nobody is behind on the first morning of a period.
    [fresh] = await progress_on(db, owner, MONDAY + timedelta(days=7))
    assert (fresh.value, fresh.status) == (0, "on_track")


async def test_a_goal_is_reached_once_per_period(db: Database, bus) -> None:
    owner = await new_person(db, bus)
    goal = await set_goal(db, owner, metric="distance", period="week", target=20_000)
    await logged(db, bus, owner, at(MONDAY + timedelta(days=1)), distance_m=12_000)
    assert await events(db, service.GOAL_REACHED) == []
    await logged(db, bus, owner, at(MONDAY + timedelta(days=2)), distance_m=10_000)
    await logged(db, bus, owner, at(MONDAY + timedelta(days=3)), distance_m=5_000)
    [reached] = await events(db, service.GOAL_REACHED)
    assert reached.payload["goal_id"] == str(goal)
    assert reached.payload["period_start"] == MONDAY.isoformat()
    # The event of the activity that reached it, delivered again, tells nothing new.
    created = (await events(db, "activity.created"))[1]
    handler = registry.get(f"{handlers.__name__}.count_activity")
    assert handler is not None
    async with db.unit_of_work() as session:
        await handler.fn(session, created)
    assert len(await events(db, service.GOAL_REACHED)) == 1
    # The next week is a new period.
    await logged(db, bus, owner, at(MONDAY + timedelta(days=8)), distance_m=25_000)
    starts = [e.payload["period_start"] for e in await events(db, service.GOAL_REACHED)]
    assert starts == [MONDAY.isoformat(), (MONDAY + timedelta(days=7)).isoformat()]
    [status] = await progress_on(db, owner, MONDAY + timedelta(days=9))
    assert status.status == "reached"


async def test_sport_metric_and_period_choose_what_counts(db: Database, bus) -> None:
    owner = await new_person(db, bus)
    await set_goal(db, owner, metric="count", sport="run", period="month", target=3)
    await set_goal(db, owner, metric="elevation", period="year", target=1000)
    await set_goal(db, owner, metric="time", sport="yoga", period="week", target=3600)
    await logged(db, bus, owner, at(date(2026, 3, 3)), elevation_gain_m=300)
    await logged(db, bus, owner, at(date(2026, 3, 4)), sport="ride", elevation_gain_m=500)
    await logged(db, bus, owner, at(date(2026, 2, 27)), elevation_gain_m=100)  # February
    await logged(db, bus, owner, at(date(2026, 3, 5)), sport="yoga", minutes=45, distance_m=0)
    count, elevation, time = await progress_on(db, owner, date(2026, 3, 6))
    assert (count.start, count.end, count.value) == (date(2026, 3, 1), date(2026, 3, 31), 1)
    assert (elevation.start, elevation.value) == (date(2026, 1, 1), 900)
    assert time.value == 45 * 60


async def test_a_goal_by_a_date_counts_from_the_day_it_was_set(db: Database, bus) -> None:
    owner = await new_person(db, bus)
    await logged(db, bus, owner, at(MONDAY - timedelta(days=1)), distance_m=50_000)
    await set_goal(db, owner, metric="distance", period="by_date", target=42_195, due_date=date(2026, 3, 31))
    await logged(db, bus, owner, at(MONDAY + timedelta(days=3)), distance_m=21_000)
    [running] = await progress_on(db, owner, MONDAY + timedelta(days=4))
    assert (running.start, running.end, running.value) == (MONDAY, date(2026, 3, 31), 21_000)
    [missed] = await progress_on(db, owner, date(2026, 4, 1))
    assert missed.status == "missed"
    assert await events(db, service.GOAL_REACHED) == []


async def test_periods_are_the_persons_local_weeks(db: Database, bus) -> None:
    owner = await new_person(db, bus, time_zone="Europe/Berlin")
    await set_goal(db, owner, metric="count", period="week", target=5)
    # 23:30 UTC on Sunday 1 March is Monday 00:30 in Berlin: this week.
    await logged(db, bus, owner, datetime(2026, 3, 1, 23, 30, tzinfo=UTC))
    # 22:30 UTC on Sunday 8 March is 23:30 in Berlin: still this week.
    await logged(db, bus, owner, datetime(2026, 3, 8, 22, 30, tzinfo=UTC))
    await logged(db, bus, owner, datetime(2026, 3, 8, 23, 30, tzinfo=UTC))  # next week there
    [week] = await progress_on(db, owner, MONDAY)
    assert week.value == 2


async def test_a_goal_reached_already_when_set_is_told_at_once(db: Database, bus) -> None:
    owner = await new_person(db, bus)
    await logged(db, bus, owner, at(MONDAY), distance_m=8_000)
    await set_goal(
        db, owner, metric="distance", period="week", target=5_000, today=MONDAY + timedelta(days=1)
    )
    assert len(await events(db, service.GOAL_REACHED)) == 1
    # Raising the target lets it be reached again in a later period only.
    async with db.unit_of_work() as session:
        [goal] = await service.list_goals(session, owner)
        await service.update_goal(
            session, owner, goal.id, GoalPatch(target=6_000), MONDAY + timedelta(days=1)
        )
    assert len(await events(db, service.GOAL_REACHED)) == 1


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"period": "by_date"}, "goal_due_date_missing", "due_date"),
        ({"period": "by_date", "due_date": MONDAY - timedelta(days=1)}, "goal_due_date_past", "due_date"),
        (
            {"period": "by_date", "due_date": MONDAY + timedelta(days=6 * 365)},
            "goal_due_date_far",
            "due_date",
        ),
        ({"period": "week", "due_date": MONDAY + timedelta(days=5)}, "goal_due_date_unexpected", "due_date"),
        ({"period": "week", "sport": "quidditch"}, "goal_unknown_sport", "sport"),
    ],
)
async def test_goals_that_cannot_be_are_refused(db: Database, bus, body: dict, code: str, field: str) -> None:
    owner = await new_person(db, bus)
    with pytest.raises(AppError) as refused:
        await set_goal(db, owner, metric="distance", target=1000, **body)
    assert (refused.value.code, refused.value.extra["field"]) == (code, field)


async def test_at_most_twenty_goals(db: Database, bus) -> None:
    owner = await new_person(db, bus)
    for _ in range(service.MOST_GOALS):
        await set_goal(db, owner, metric="count", period="week", target=3)
    with pytest.raises(AppError) as refused:
        await set_goal(db, owner, metric="count", period="week", target=3)
    assert (refused.value.status, refused.value.code) == (409, "too_many_goals")
