"""Points follow activity events: awarded once, capped per local day, corrected by edits and deletions
as new entries, levels told once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from athlos.core.db import Database
from athlos.core.events import registry
from athlos.gamification import handlers
from athlos.gamification.points import service
from athlos.gamification.points.models import PointsEntry
from tests.analytics.conftest import new_person, remove, set_profile
from tests.gamification.helpers import changed, events, history, logged

MORNING = datetime(2026, 3, 3, 7, tzinfo=UTC)


async def balance(db: Database, owner) -> int:
    async with db.sessionmaker() as session:
        return await service.balance(session, owner)


async def test_an_activity_earns_points_once_however_often_its_event_arrives(db: Database, bus) -> None:
    owner = await new_person(db, bus)
    activity = await logged(db, bus, owner, MORNING, minutes=60)
    assert await history(db, owner) == [(98, "awarded")]
    [awarded] = await events(db, service.POINTS_AWARDED)
    assert awarded.payload == {
        "user_id": str(owner),
        "activity_id": str(activity),
        "points": 98,
        "activity_points": 98,
    }
    [created] = await events(db, "activity.created")
    handler = registry.get(f"{handlers.__name__}.count_activity")
    assert handler is not None
    for _ in range(2):
        async with db.unit_of_work() as session:
            await handler.fn(session, created)
    assert await history(db, owner) == [(98, "awarded")]
    assert len(await events(db, service.POINTS_AWARDED)) == 1


async def test_heart_rate_against_the_profile_sets_the_intensity(db: Database, bus) -> None:
    owner = await new_person(db, bus, resting_heart_rate=50, max_heart_rate=190)
    await logged(db, bus, owner, MORNING, sport="yoga", minutes=60, distance_m=0, avg_heart_rate=120)
    assert await balance(db, owner) == 65


async def test_the_daily_cap_holds_and_a_deletion_gives_its_room_to_the_others(db: Database, bus) -> None:
    owner = await new_person(db, bus)
    first = await logged(db, bus, owner, MORNING, minutes=120)
    await logged(db, bus, owner, MORNING + timedelta(hours=3), minutes=120)
    await logged(db, bus, owner, MORNING + timedelta(hours=6), minutes=120)
    assert await history(db, owner) == [(196, "awarded"), (104, "awarded")]
    assert await balance(db, owner) == 300
    # The next day has a cap of its own.
    await logged(db, bus, owner, MORNING + timedelta(days=1), minutes=120)
    assert await balance(db, owner) == 496

    await remove(db, bus, owner, first)
    assert await history(db, owner) == [
        (196, "awarded"),
        (104, "awarded"),
        (196, "awarded"),
        (-196, "removed"),
        (92, "corrected"),
        (104, "awarded"),
    ]
    assert await balance(db, owner) == 496


async def test_the_cap_counts_days_in_the_persons_time_zone(db: Database, bus) -> None:
    owner = await new_person(db, bus, time_zone="Europe/Berlin")
    # 22:30 UTC on 3 March is 23:30 in Berlin, 23:30 UTC is already 4 March there: two days, two caps.
    await logged(db, bus, owner, datetime(2026, 3, 3, 20, 30, tzinfo=UTC), minutes=120)
    await logged(db, bus, owner, datetime(2026, 3, 3, 22, 30, tzinfo=UTC), minutes=120)
    await logged(db, bus, owner, datetime(2026, 3, 3, 23, 30, tzinfo=UTC), minutes=120)
    assert await balance(db, owner) == 300 + 196


async def test_an_edit_corrects_the_points_with_a_new_entry(db: Database, bus) -> None:
    owner = await new_person(db, bus)
    activity = await logged(db, bus, owner, MORNING, minutes=60)
    await changed(db, bus, owner, activity, sport="yoga")
    assert await history(db, owner) == [(98, "awarded"), (-73, "corrected")]
    # A change that does not touch the effort writes nothing.
    await changed(db, bus, owner, activity, title="Stretching")
    assert await balance(db, owner) == 25
    async with db.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(PointsEntry)) == 2


async def test_a_level_is_told_once_even_when_points_go_and_come_back(db: Database, bus) -> None:
    owner = await new_person(db, bus)
    first = await logged(db, bus, owner, MORNING, minutes=65)  # 106 points: level 2
    reached = await events(db, service.LEVEL_REACHED)
    assert [e.payload for e in reached] == [{"user_id": str(owner), "level": 2}]
    await remove(db, bus, owner, first)
    await logged(db, bus, owner, MORNING, minutes=65)
    assert len(await events(db, service.LEVEL_REACHED)) == 1
    # Level 3 at 250 points.
    await logged(db, bus, owner, MORNING + timedelta(days=1), minutes=100)
    assert [e.payload["level"] for e in await events(db, service.LEVEL_REACHED)] == [2, 3]


async def test_a_new_time_zone_moves_activities_to_their_local_days(db: Database, bus) -> None:
    owner = await new_person(db, bus)
    # 22:30 and 23:30 UTC on 3 March: one UTC day, so the cap holds them to 300 together.
    await logged(db, bus, owner, datetime(2026, 3, 3, 20, 30, tzinfo=UTC), minutes=120)
    await logged(db, bus, owner, datetime(2026, 3, 3, 23, 30, tzinfo=UTC), minutes=120)
    assert await balance(db, owner) == 300
    # In Berlin the second is on 4 March: a day with a cap of its own.
    await set_profile(db, bus, owner, time_zone="Europe/Berlin")
    assert await balance(db, owner) == 392
    assert (await history(db, owner))[-1] == (92, "corrected")
    # The same zone again changes nothing.
    await set_profile(db, bus, owner, time_zone="Europe/Berlin")
    assert await balance(db, owner) == 392
