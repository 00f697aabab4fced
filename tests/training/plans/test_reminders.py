"""The morning reminder of a planned workout through notifications, on the real event bus: due at
07:00 on the person's clock, linked to the workout, not sent for a workout already done, a plan
replaced, or a person who turned the type off; the next one waits; redelivery tells nobody twice."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import httpx
from sqlalchemy import select

from athlos.analytics import service as analytics
from athlos.core.db import Database, utcnow
from athlos.core.events import registry
from athlos.core.events.delivery import Outcome, RetryPolicy, deliver
from athlos.core.events.embedded import EmbeddedBus
from athlos.core.events.models import HandlerFailure
from athlos.training.plans import handlers, reminders
from athlos.training.plans import service as plans
from athlos.training.plans.models import PlannedWorkout
from athlos.training.plans.schemas import PlanIn
from tests.analytics.conftest import headers_of, new_person
from tests.gamification.helpers import events
from tests.notifications.helpers import inbox

TYPE = "training.workout_reminder_due"


def zone_at_noon() -> str:
    """A time zone where it is about noon now, so this morning's reminder is due and today lasts."""
    offset = 12 - utcnow().hour
    return f"Etc/GMT{-offset:+d}"


async def plan_made_yesterday(
    db: Database, owner: uuid.UUID, *, done: bool = False, made_now: bool = False
) -> PlannedWorkout:
    """A plan made yesterday (or now, with ``made_now``) whose first workout is today (done already
    when ``done``)."""
    async with db.unit_of_work() as session:
        today = await analytics.today_of(session, owner)
        body = PlanIn(goal="5k", level="beginner", target_date=today + timedelta(weeks=6), weekdays=[1, 3, 5])
        plan = await plans.create_plan(session, owner, body, today)
        plan.created_at = utcnow() - timedelta(days=0 if made_now else 1)
        [first, *_] = await plans.workouts_between(session, plan)
        first.day = today
        if done:
            first.activity_id, first.done_at = uuid.uuid4(), utcnow()
        await session.flush()
        return first


async def waiting_reminders(db: Database) -> list[HandlerFailure]:
    async with db.sessionmaker() as session:
        rows = await session.scalars(
            select(HandlerFailure).where(HandlerFailure.event_type == reminders.SCHEDULED)
        )
        return list(rows)


def test_the_reminder_is_due_at_seven_on_the_persons_clock() -> None:
    assert reminders.due_at(date(2026, 12, 2), "Europe/Berlin") == datetime(2026, 12, 2, 6, tzinfo=UTC)
    assert reminders.due_at(date(2026, 7, 2), "Europe/Berlin") == datetime(2026, 7, 2, 5, tzinfo=UTC)
    assert reminders.due_at(date(2026, 12, 2), "Nowhere/Else") == datetime(2026, 12, 2, 7, tzinfo=UTC)


async def test_todays_workout_is_reminded_and_the_next_one_waits_for_its_morning(
    db: Database, bus: EmbeddedBus, client: httpx.AsyncClient
) -> None:
    me = await new_person(db, bus, time_zone=zone_at_noon())
    headers = await headers_of(db, client, me)
    workout = await plan_made_yesterday(db, me)
    await bus.drain()

    [told] = (await inbox(client, headers))["items"]
    assert told["title"].startswith("Today: Easy run · ")
    assert told["link"] == f"/training/plan/workouts/{workout.id}"
    page = await client.get(told["link"], headers=headers)
    assert page.status_code == 200

    [waiting] = await waiting_reminders(db)
    async with db.sessionmaker() as session:
        following = await session.scalar(
            select(PlannedWorkout)
            .where(PlannedWorkout.plan_id == workout.plan_id, PlannedWorkout.day > workout.day)
            .order_by(PlannedWorkout.day)
            .limit(1)
        )
    assert following is not None
    due = reminders.due_at(following.day, zone_at_noon())
    assert abs((waiting.next_attempt_at.replace(tzinfo=UTC) - due).total_seconds()) < 120
    assert waiting.attempts == 0

    # Delivered again (a lost acknowledgement), and even applied again: still one notification.
    [first, *_] = await events(db, reminders.SCHEDULED)
    handler = registry.get(f"{handlers.__name__}.remind_of_planned_workout")
    assert handler is not None
    assert (await deliver(db, handler, first, RetryPolicy())).outcome is Outcome.ALREADY_APPLIED
    async with db.unit_of_work() as session:
        await handler.fn(session, first)
    await bus.drain()
    assert len((await inbox(client, headers))["items"]) == 1


async def test_a_workout_already_done_is_not_reminded(
    db: Database, bus: EmbeddedBus, client: httpx.AsyncClient
) -> None:
    me = await new_person(db, bus, time_zone=zone_at_noon())
    await plan_made_yesterday(db, me, done=True)
    await bus.drain()
    assert (await inbox(client, await headers_of(db, client, me)))["items"] == []
    assert len(await waiting_reminders(db)) == 1  # the next workout's still comes


async def test_a_plan_made_after_seven_does_not_remind_of_today(
    db: Database, bus: EmbeddedBus, client: httpx.AsyncClient
) -> None:
    me = await new_person(db, bus, time_zone=zone_at_noon())
    headers = await headers_of(db, client, me)
    await plan_made_yesterday(db, me, made_now=True)
    await bus.drain()
    assert (await inbox(client, headers))["items"] == []


async def test_a_replaced_plan_reminds_no_more(
    db: Database, bus: EmbeddedBus, client: httpx.AsyncClient
) -> None:
    me = await new_person(db, bus, time_zone=zone_at_noon())
    headers = await headers_of(db, client, me)
    await plan_made_yesterday(db, me)
    newer = await plan_made_yesterday(db, me)
    await bus.drain()
    [told] = (await inbox(client, headers))["items"]
    assert told["link"] == f"/training/plan/workouts/{newer.id}"
    # Only the active plan's chain goes on.
    assert len(await waiting_reminders(db)) == 1

    ended = await client.delete("/api/v1/me/training/plans/active", headers=headers)
    assert ended.status_code == 204, ended.text
    [waiting] = await waiting_reminders(db)
    async with db.unit_of_work() as session:
        await session.execute(
            HandlerFailure.__table__.update()
            .where(HandlerFailure.event_id == waiting.event_id)
            .values(next_attempt_at=utcnow() - timedelta(seconds=1))
        )
    await bus.drain()
    assert await waiting_reminders(db) == []


async def test_no_reminder_for_a_person_who_turned_them_off(
    db: Database, bus: EmbeddedBus, client: httpx.AsyncClient
) -> None:
    me = await new_person(db, bus, time_zone=zone_at_noon())
    headers = await headers_of(db, client, me)
    preferences = (await client.get("/api/v1/me/notification-preferences", headers=headers)).json()
    [kind] = [kind for kind in preferences["types"] if kind["type"] == TYPE]
    assert kind["label"] == "Reminders of planned workouts"
    off = await client.put(
        f"/api/v1/me/notification-preferences/{TYPE}", json={"inbox": False, "push": False}, headers=headers
    )
    assert off.status_code == 200, off.text
    await plan_made_yesterday(db, me)
    await bus.drain()
    assert (await inbox(client, headers))["items"] == []


async def test_the_reminder_speaks_the_persons_language(
    db: Database, bus: EmbeddedBus, client: httpx.AsyncClient
) -> None:
    me = await new_person(db, bus, time_zone=zone_at_noon(), language="de")
    headers = await headers_of(db, client, me)
    await plan_made_yesterday(db, me)
    await bus.drain()
    response = await client.get("/api/v1/me/notifications", headers={**headers, "Accept-Language": "de"})
    [told] = response.json()["items"]
    assert told["title"].startswith("Heute: ")
