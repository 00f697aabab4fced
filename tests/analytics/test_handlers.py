"""The read model follows activity and profile events, once per effect however often they arrive."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from athlos.analytics import handlers, service
from athlos.analytics.models import ActivityFact, Person, PersonalRecord
from athlos.core.db import Database
from athlos.core.events import Event, registry
from athlos.core.events.delivery import Outcome, RetryPolicy, deliver
from athlos.core.events.models import OutboxRow
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.analytics.conftest import headers_of, manual, new_person, remove, set_profile

MONDAY = date(2026, 3, 2)


async def _events(db: Database, event_type: str) -> list[Event]:
    async with db.sessionmaker() as session:
        rows = await session.scalars(select(OutboxRow).where(OutboxRow.type == event_type))
        return [Event.from_row(row) for row in rows]


async def test_redelivered_activity_events_change_nothing_twice(db: Database, bus) -> None:
    owner = await new_person(db, bus)
    await manual(db, bus, owner, datetime(2026, 3, 3, 7, tzinfo=UTC), distance_m=5000)
    [created] = await _events(db, "activity.created")
    handler = registry.get(f"{handlers.__name__}.keep_activity_facts")
    assert handler is not None
    # The delivery books keep a second delivery of the same event from applying it again...
    assert (await deliver(db, handler, created, RetryPolicy())).outcome is Outcome.ALREADY_APPLIED
    # ...and applying it again anyway (a lost acknowledgement) replaces the facts, never adds.
    for _ in range(2):
        async with db.unit_of_work() as session:
            await handler.fn(session, created)
    async with db.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(ActivityFact)) == 1
        progress = await service.progress(session, owner, "week", MONDAY)
    assert progress["sports"][0]["current"]["distance_m"] == 5000.0
    assert progress["sports"][0]["current"]["count"] == 1


async def test_updates_replace_and_deletes_remove_the_facts(db: Database, bus, client) -> None:
    from athlos.activities.schemas import ActivityPatch
    from athlos.activities.service import update_activity

    owner = await new_person(db, bus)
    activity = await manual(db, bus, owner, datetime(2026, 3, 3, 7, tzinfo=UTC), distance_m=8000)
    async with db.unit_of_work() as session:
        await update_activity(session, owner, activity, ActivityPatch(sport="ride"))
    await bus.drain()
    async with db.sessionmaker() as session:
        progress = await service.progress(session, owner, "week", MONDAY)
    assert [s["sport"] for s in progress["sports"]] == ["ride"]
    await remove(db, bus, owner, activity)
    async with db.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(ActivityFact)) == 0
        assert (await service.progress(session, owner, "week", MONDAY))["sports"] == []


async def test_periods_follow_the_persons_time_zone(db: Database, bus) -> None:
    owner = await new_person(db, bus, time_zone="Europe/Berlin")
    # 23:30 UTC on Sunday 1 March is 00:30 on Monday 2 March in Berlin: a new week.
    await manual(db, bus, owner, datetime(2026, 3, 1, 23, 30, tzinfo=UTC), distance_m=10_000)
    # 23:30 UTC on 31 January is 1 February in Berlin: a new month.
    await manual(db, bus, owner, datetime(2026, 1, 31, 23, 30, tzinfo=UTC), distance_m=3000)
    # 23:30 UTC on New Year's Eve is 2026 in Berlin: a new year.
    await manual(db, bus, owner, datetime(2025, 12, 31, 23, 30, tzinfo=UTC), distance_m=2000)
    # Two in the week before, one of them a ride.
    await manual(db, bus, owner, datetime(2026, 2, 24, 6, tzinfo=UTC), distance_m=4000)
    await manual(db, bus, owner, datetime(2026, 2, 25, 6, tzinfo=UTC), sport="ride", distance_m=20_000)
    async with db.sessionmaker() as session:
        week = await service.progress(session, owner, "week", MONDAY)
        month = await service.progress(session, owner, "month", date(2026, 2, 10))
        year = await service.progress(session, owner, "year", date(2026, 6, 1))
        days = await service.calendar(session, owner, 2026)
    assert (week["start"], week["previous_start"]) == (MONDAY, date(2026, 2, 23))
    run = next(s for s in week["sports"] if s["sport"] == "run")
    assert run["current"]["distance_m"] == 10_000.0
    assert run["previous"]["distance_m"] == 4000.0
    assert run["change"]["distance_m"] == {"delta": 6000.0, "percent": 150.0}
    ride = next(s for s in week["sports"] if s["sport"] == "ride")
    assert ride["current"]["count"] == 0
    assert ride["change"]["distance_m"] == {"delta": -20_000.0, "percent": -100.0}
    assert week["series"][-1] == {"start": MONDAY, "distance_m": 10_000.0}
    assert week["series"][-2] == {"start": date(2026, 2, 23), "distance_m": 24_000.0}
    assert len(week["series"]) == 12
    # February (Berlin) holds the 1 February run and the one of the week before March; January (Berlin)
    # the New Year's Eve run.
    month_run = next(s for s in month["sports"] if s["sport"] == "run")
    assert month_run["current"]["distance_m"] == 7000.0
    assert month_run["previous"]["distance_m"] == 2000.0
    assert month_run["change"]["distance_m"]["percent"] == 250.0
    year_run = next(s for s in year["sports"] if s["sport"] == "run")
    assert year_run["current"] == {
        "count": 4,
        "distance_m": 19_000.0,
        "moving_time_s": 4 * 1800.0,
        "elevation_gain_m": 0.0,
    }
    assert year_run["previous"]["count"] == 0
    assert year_run["change"]["distance_m"] == {"delta": 19_000.0, "percent": None}
    assert [d["date"] for d in days] == [
        date(2026, 1, 1),
        date(2026, 2, 1),
        date(2026, 2, 24),
        date(2026, 2, 25),
        date(2026, 3, 2),
    ]


async def test_a_new_time_zone_moves_activities_to_other_days(db: Database, bus) -> None:
    owner = await new_person(db, bus)
    await manual(db, bus, owner, datetime(2026, 3, 1, 23, 30, tzinfo=UTC))
    async with db.sessionmaker() as session:
        assert [d["date"] for d in await service.calendar(session, owner, 2026)] == [date(2026, 3, 1)]
    await set_profile(db, bus, owner, time_zone="Asia/Tokyo")
    async with db.sessionmaker() as session:
        assert [d["date"] for d in await service.calendar(session, owner, 2026)] == [date(2026, 3, 2)]
        assert (await session.get(Person, owner)).time_zone == "Asia/Tokyo"  # type: ignore[union-attr]


async def test_erasing_the_account_forgets_the_person(db: Database, bus, client, tmp_path) -> None:
    from athlos.accounts.data_rights.service import load_holders
    from athlos.core import data_rights

    owner = await new_person(db, bus, time_zone="Europe/Berlin", in_regional_comparisons=True)
    other = await new_person(db, bus)
    await manual(db, bus, owner, datetime(2026, 3, 3, 7, tzinfo=UTC))
    await manual(db, bus, other, datetime(2026, 3, 3, 7, tzinfo=UTC))
    load_holders()
    async with db.sessionmaker() as session:
        exported = await data_rights.export_all(session, owner, tmp_path)
    assert len(exported[0]["analytics"]["activity_facts"]) == 1
    assert exported[0]["analytics"]["person"]["time_zone"] == "Europe/Berlin"

    headers = await headers_of(db, client, owner)
    response = await client.request(
        "DELETE", "/api/v1/me", json={"password": DEFAULT_PASSWORD}, headers=headers
    )
    assert response.status_code == 204, response.text
    await bus.drain()
    async with db.sessionmaker() as session:
        owners = set(await session.scalars(select(ActivityFact.owner_id)))
        assert owners == {other}
        assert await session.get(Person, owner) is None
        assert set(await session.scalars(select(PersonalRecord.owner_id))) <= {other}


async def test_period_totals_follow_changes_and_time_zones(db: Database, bus) -> None:
    from athlos.analytics.models import PeriodTotal

    owner = await new_person(db, bus)
    first = await manual(db, bus, owner, datetime(2026, 3, 1, 23, 30, tzinfo=UTC), distance_m=4000)
    await manual(db, bus, owner, datetime(2026, 3, 3, 7, tzinfo=UTC), distance_m=6000)

    async def totals() -> dict[tuple[str, date], tuple[int, float]]:
        async with db.sessionmaker() as session:
            rows = await session.scalars(select(PeriodTotal).where(PeriodTotal.owner_id == owner))
            return {(row.period, row.start): (row.count, row.distance_m) for row in rows}

    assert await totals() == {
        ("week", date(2026, 2, 23)): (1, 4000.0),
        ("week", MONDAY): (1, 6000.0),
        ("month", date(2026, 3, 1)): (2, 10_000.0),
        ("year", date(2026, 1, 1)): (2, 10_000.0),
    }
    await set_profile(db, bus, owner, time_zone="Europe/Berlin")  # the Sunday night run moves to Monday
    assert (await totals())[("week", MONDAY)] == (2, 10_000.0)
    await remove(db, bus, owner, first)
    assert await totals() == {
        ("week", MONDAY): (1, 6000.0),
        ("month", date(2026, 3, 1)): (1, 6000.0),
        ("year", date(2026, 1, 1)): (1, 6000.0),
    }
