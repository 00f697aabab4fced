"""Gear follows activity events: the sport's default item is assigned to a new activity, and every
item's totals stay the sum of its activities through edits (distance, sport, gear) and deletions,
however often an event arrives. Wear reminders come once per item and threshold."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from athlos.core.db import Database
from athlos.core.events import registry
from athlos.core.events.delivery import Outcome, RetryPolicy, deliver
from athlos.gear import handlers, service
from athlos.gear.models import GearAssignment
from tests.analytics.conftest import manual, new_person, remove
from tests.gamification.helpers import changed, events
from tests.gear.helpers import add_gear, distance_changed, gear_of, totals, wear_notifications

START = datetime(2026, 11, 2, 7, tzinfo=UTC)


async def test_a_new_run_gets_the_default_shoe_and_is_counted(db: Database, bus) -> None:
    me = await new_person(db, bus)
    shoe = await add_gear(db, me, default_for=["run", "trail_run"])
    bike = await add_gear(db, me, kind="bike", brand="Canyon", model="Endurace", default_for=["ride"])
    run = await manual(db, bus, me, START, distance_m=10_000, duration_s=3000)
    await manual(db, bus, me, START + timedelta(days=1), sport="trail_run", distance_m=5_000, duration_s=2000)
    swim = await manual(db, bus, me, START + timedelta(days=2), sport="pool_swim", distance_m=1_000)
    assert await gear_of(db, run) == shoe
    assert await gear_of(db, swim) is None
    assert await totals(db, shoe) == (15_000, 5000, 2)
    assert await totals(db, bike) == (0, 0, 0)


async def test_edits_and_deletes_keep_the_totals_the_sum_of_the_activities(db: Database, bus) -> None:
    me = await new_person(db, bus)
    shoe = await add_gear(db, me, default_for=["run"])
    bike = await add_gear(db, me, kind="bike", brand="Canyon", model="Endurace", default_for=["ride"])
    first = await manual(db, bus, me, START, distance_m=10_000, duration_s=3000)
    second = await manual(db, bus, me, START + timedelta(days=1), distance_m=8_000, duration_s=2400)

    await distance_changed(db, bus, first, 12_000)
    assert await totals(db, shoe) == (20_000, 5400, 2)
    # A run that was a ride: the automatic choice follows the sport to its default.
    await changed(db, bus, me, second, sport="ride")
    assert await gear_of(db, second) == bike
    assert await totals(db, shoe) == (12_000, 3000, 1)
    assert await totals(db, bike) == (8_000, 2400, 1)
    # Chosen by hand, the gear stays through a change of sport.
    async with db.unit_of_work() as session:
        await service.assign_gear(session, me, second, shoe)
    await changed(db, bus, me, second, sport="walk")
    assert await gear_of(db, second) == shoe
    assert await totals(db, bike) == (0, 0, 0)
    assert await totals(db, shoe) == (20_000, 5400, 2)

    await remove(db, bus, me, first)
    assert await totals(db, shoe) == (8_000, 2400, 1)
    await remove(db, bus, me, second)
    assert await totals(db, shoe) == (0, 0, 0)
    async with db.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(GearAssignment)) == 0


async def test_redelivered_events_change_nothing_twice(db: Database, bus) -> None:
    me = await new_person(db, bus)
    shoe = await add_gear(db, me, default_for=["run"])
    run = await manual(db, bus, me, START, distance_m=10_000, duration_s=3000)
    await distance_changed(db, bus, run, 11_000)
    [created] = await events(db, "activity.created")
    [updated] = await events(db, "activity.updated")
    handler = registry.get(f"{handlers.__name__}.assign_default_gear")
    assert handler is not None
    assert (await deliver(db, handler, created, RetryPolicy())).outcome is Outcome.ALREADY_APPLIED
    # Applied again anyway (a lost acknowledgement): the totals are recomputed, never added to.
    for _ in range(2):
        async with db.unit_of_work() as session:
            await handler.fn(session, created)
    assert await totals(db, shoe) == (10_000, 3000, 1)
    update_handler = registry.get(f"{handlers.__name__}.recount_changed_activity")
    assert update_handler is not None
    async with db.unit_of_work() as session:
        await update_handler.fn(session, updated)
    assert await totals(db, shoe) == (11_000, 3000, 1)


async def test_retired_gear_is_not_assigned_but_keeps_its_totals(db: Database, bus) -> None:
    me = await new_person(db, bus)
    shoe = await add_gear(db, me, default_for=["run"])
    old = await manual(db, bus, me, START, distance_m=10_000)
    async with db.unit_of_work() as session:
        await service.retire_gear(session, me, shoe)
    new = await manual(db, bus, me, START + timedelta(days=1), distance_m=5_000)
    assert await gear_of(db, new) is None
    await distance_changed(db, bus, old, 9_000)
    assert (await totals(db, shoe))[0] == 9_000


async def test_wear_reminders_come_once_per_threshold(db: Database, bus) -> None:
    me = await new_person(db, bus)
    # 500 km before Athlos, a limit of 700 km: 60 km more is 80 %.
    shoe = await add_gear(db, me, default_for=["run"], starting_distance_m=500_000)
    first = await manual(db, bus, me, START, distance_m=30_000)
    assert await wear_notifications(db, me) == []
    second = await manual(db, bus, me, START + timedelta(days=1), distance_m=30_000)
    assert await wear_notifications(db, me) == ["gear.wear_near"]
    # Dropping below and climbing back tells nothing again.
    await remove(db, bus, me, second)
    await manual(db, bus, me, START + timedelta(days=2), distance_m=40_000)
    assert await wear_notifications(db, me) == ["gear.wear_near"]
    await distance_changed(db, bus, first, 200_000)
    await distance_changed(db, bus, first, 210_000)
    assert await wear_notifications(db, me) == ["gear.wear_near", "gear.wear_reached"]
    assert [e.payload["percent"] for e in await events(db, "gear.wear_near")] == [80]
    assert [e.payload["gear_id"] for e in await events(db, "gear.wear_reached")] == [str(shoe)]


async def test_deleting_gear_frees_its_activities_and_removes_its_reminders(db: Database, bus) -> None:
    me = await new_person(db, bus)
    shoe = await add_gear(db, me, default_for=["run"], wear_limit_m=10_000)
    run = await manual(db, bus, me, START, distance_m=10_000)
    assert await wear_notifications(db, me) == ["gear.wear_reached"]
    async with db.unit_of_work() as session:
        await service.delete_gear(session, me, shoe)
    await bus.drain()
    assert await gear_of(db, run) is None
    assert await wear_notifications(db, me) == []
    later = await manual(db, bus, me, START + timedelta(days=1))
    assert await gear_of(db, later) is None  # its default went with it
