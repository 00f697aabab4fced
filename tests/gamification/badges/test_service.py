"""Badges follow activity events: awarded once with an event and a notification; a changed rule is
re-evaluated over history, saying what it would add and revoke before it does (also from the CLI)."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import delete, select

from athlos.core.db import Database, utcnow
from athlos.core.events import registry
from athlos.gamification import handlers
from athlos.gamification.badges import service
from athlos.gamification.badges.definitions import badges
from athlos.gamification.badges.models import BadgeAward
from tests.analytics.conftest import headers_of, new_person, remove
from tests.gamification.helpers import events, logged
from tests.notifications.helpers import inbox

MORNING = datetime(2026, 3, 3, 6, 30, tzinfo=UTC)


async def awarded(db: Database, owner) -> set[str]:
    async with db.sessionmaker() as session:
        return await service.awarded_ids(session, owner)


async def test_badges_are_awarded_once_with_an_event_and_a_notification(
    db: Database, bus, client: httpx.AsyncClient
) -> None:
    owner = await new_person(db, bus)
    first = await logged(db, bus, owner, MORNING)  # 06:30 UTC: before 7 on the clock of a UTC profile
    assert await awarded(db, owner) == {"first_activity", "early_bird"}
    payloads = {e.payload["badge_id"]: e.payload for e in await events(db, service.BADGE_AWARDED)}
    assert payloads["first_activity"]["activity_id"] == str(first)
    assert payloads["first_activity"]["names"]["de"] == "Erster Schritt"
    # Delivered again, the event awards nothing new.
    [created] = await events(db, "activity.created")
    handler = registry.get(f"{handlers.__name__}.count_activity")
    assert handler is not None
    async with db.unit_of_work() as session:
        await handler.fn(session, created)
    assert len(await events(db, service.BADGE_AWARDED)) == 2
    # The notification names the badge in the reader's language.
    headers = {**await headers_of(db, client, owner), "Accept-Language": "de"}
    titles = [item["title"] for item in (await inbox(client, headers))["items"]]
    assert "Du hast das Abzeichen „Erster Schritt“ erhalten" in titles
    # Deleting the activity keeps its badges.
    await remove(db, bus, owner, first)
    assert await awarded(db, owner) == {"first_activity", "early_bird"}


async def test_milestones_weeks_and_night_owls(db: Database, bus) -> None:
    owner = await new_person(db, bus, time_zone="Europe/Berlin")
    # 20:30 UTC is 21:30 in Berlin: a night owl.
    await logged(db, bus, owner, datetime(2026, 3, 2, 20, 30, tzinfo=UTC), distance_m=60_000, minutes=300)
    assert "night_owl" in await awarded(db, owner)
    await logged(db, bus, owner, datetime(2026, 3, 3, 12, tzinfo=UTC), distance_m=40_000, minutes=200)
    assert "run_100km" in await awarded(db, owner)
    for n in range(2, 5):
        await logged(db, bus, owner, datetime(2026, 3, 2 + n, 12, tzinfo=UTC), minutes=20)
    assert "five_in_a_week" in await awarded(db, owner)
    assert "daily_streak_7" not in await awarded(db, owner)
    for n in range(5, 7):
        await logged(db, bus, owner, datetime(2026, 3, 2 + n, 12, tzinfo=UTC), minutes=20)
    assert "daily_streak_7" in await awarded(db, owner)


async def test_a_changed_rule_says_what_it_would_change_before_it_does(db: Database, bus) -> None:
    owner = await new_person(db, bus)
    await logged(db, bus, owner, MORNING.replace(hour=12))
    assert await awarded(db, owner) == {"first_activity"}
    # The rule of the first badge now asks for two activities, and a new badge asks for one ride.
    changed = [
        dataclasses.replace(badge, params={"count": 2}) if badge.id == "first_activity" else badge
        for badge in badges()
    ]
    changed.append(dataclasses.replace(badges()[0], id="first_run", params={"count": 1, "sport": "run"}))
    async with db.unit_of_work() as session:
        dry = await service.reevaluate(session, apply=False, definitions=changed)
    assert (dry.added, dry.revoked) == ([(owner, "first_run")], [(owner, "first_activity")])
    assert await awarded(db, owner) == {"first_activity"}
    async with db.unit_of_work() as session:
        applied = await service.reevaluate(session, apply=True, definitions=changed)
    assert (applied.added, applied.revoked) == (dry.added, dry.revoked)
    assert await awarded(db, owner) == {"first_run"}
    async with db.unit_of_work() as session:
        again = await service.reevaluate(session, apply=True, definitions=changed)
    assert (again.added, again.revoked) == ([], [])


async def test_the_cli_prints_then_applies_a_reevaluation(db: Database, bus, database_url: str) -> None:
    owner = await new_person(db, bus)
    await logged(db, bus, owner, MORNING.replace(hour=12))
    async with db.unit_of_work() as session:
        await session.execute(delete(BadgeAward).where(BadgeAward.owner_id == owner))
        session.add(
            BadgeAward(owner_id=owner, badge_id="retired_badge", earned_at=utcnow() - timedelta(days=1))
        )
    env = {**os.environ, "ATHLOS_DATABASE_URL": database_url}

    def cli(*args: str) -> list[str]:
        done = subprocess.run(
            [sys.executable, "-m", "athlos", "badges", "reevaluate", *args],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        return done.stdout.splitlines()

    assert cli() == [f"+ {owner} first_activity", f"- {owner} retired_badge", "1 to add, 1 to revoke"]
    assert await awarded(db, owner) == {"retired_badge"}
    assert cli("--apply") == [f"+ {owner} first_activity", f"- {owner} retired_badge", "1 added, 1 revoked"]
    assert await awarded(db, owner) == {"first_activity"}
    async with db.sessionmaker() as session:
        award = await session.scalar(select(BadgeAward).where(BadgeAward.owner_id == owner))
    assert award is not None
    assert award.earned_at == MORNING.replace(hour=12)
