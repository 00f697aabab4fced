"""Achievements as feed items of their own kinds: a badge, a level, a goal, a challenge and a race reach
followers as the person's profile allows, never a stranger or a blocked person, the same in the API and
on the page; a revoked badge and a disqualified finish leave every feed; redelivery changes nothing."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis

from athlos.core.db import Database
from athlos.core.events import Event, emit
from athlos.core.events.embedded import EmbeddedBus
from athlos.social.feed import handlers
from athlos.social.feed.achievements import RACE, subject_of
from tests.activities.conftest import Person
from tests.social.conftest import block, follow, set_profile

RACE_ID = uuid.uuid4()
CLUB_ID = uuid.uuid4()

# Each kind: the event that announces it for ``user_id``, and what its card says.
KINDS: dict[str, tuple[str, Callable[[str], dict[str, Any]], str]] = {
    "badge": (
        "gamification.badge_awarded",
        lambda user: {
            "user_id": user,
            "badge_id": "run_100km",
            "names": {"en": "100 km run", "ru": "100 км бегом", "de": "100 km gelaufen"},
            "icon": "🏃",
        },
        "Earned the badge “100 km run”",
    ),
    "level": ("gamification.level_reached", lambda user: {"user_id": user, "level": 4}, "Reached level 4"),
    "goal": (
        "gamification.goal_reached",
        lambda user: {
            "user_id": user,
            "goal_id": str(uuid.uuid4()),
            "period_start": "2026-11-30",
            "metric": "distance",
            "sport": "run",
            "period": "week",
            "target": 30000,
        },
        "Reached a goal: 30.0 km in a week",
    ),
    "challenge": (
        "gamification.challenge_completed",
        lambda user: {
            "user_id": user,
            "challenge_id": str(uuid.uuid4()),
            "title": "<b>December</b> 100",
            "metric": "distance",
            "target": 100000,
            "club_id": None,
        },
        "Completed the challenge “&lt;b&gt;December&lt;/b&gt; 100”",
    ),
    "race": (
        "competitions.finished",
        lambda user: {
            "race_id": str(RACE_ID),
            "title": "Winter 10K",
            "sport": "run",
            "distance_m": 10000.0,
            "club_id": None,
            "user_id": user,
            "elapsed_s": 2701.0,
            "mode": "window",
        },
        "Finished Winter 10K in 45:01",
    ),
}


async def announce(db: Database, bus: EmbeddedBus, type: str, payload: dict[str, Any]) -> None:
    async with db.unit_of_work() as session:
        emit(session, type, payload["user_id"], payload)
    await bus.drain()


async def feed_of(client: httpx.AsyncClient, person: Person, kind: str | None = None) -> list[dict[str, Any]]:
    """The achievements in the person's feed (of ``kind`` only, if given: a race also earns a badge)."""
    response = await client.get("/api/v1/feed", params={"limit": 100}, headers=person.headers)
    assert response.status_code == 200, response.text
    return [i for i in response.json()["items"] if i["type"] != "activity" and kind in (None, i["type"])]


async def page_of(browser_of: Any, person: Person) -> str:
    browser = await browser_of(person)
    response = await browser.get("/feed")
    assert response.status_code == 200
    text: str = response.text
    return text


@pytest.mark.parametrize("kind", sorted(KINDS))
async def test_followers_see_it_strangers_and_blocked_people_do_not(
    kind: str,
    client: httpx.AsyncClient,
    db: Database,
    bus: EmbeddedBus,
    browser_of: Any,
    alice: Person,
    bob: Person,
    carol: Person,
    feed_redis: Redis | None,
) -> None:
    event_type, payload, words = KINDS[kind]
    for person in (alice, bob, carol):
        await feed_of(client, person)  # feeds read once are kept up to date by fan-out
    await follow(client, bob, alice)
    await follow(client, carol, alice)
    await bus.drain()
    announced = payload(str(alice.id))
    await announce(db, bus, event_type, announced)

    for person in (alice, bob):
        items = await feed_of(client, person, kind)
        assert [(i["type"], i["actor_id"]) for i in items] == [(kind, str(alice.id))]
        assert words in await page_of(browser_of, person)

    strangers = await page_of(browser_of, carol)
    await block(client, alice, carol)
    await bus.drain()
    assert await feed_of(client, carol) == []
    assert words not in await page_of(browser_of, carol)
    assert words in strangers  # carol followed before the block

    await set_profile(client, alice, profile_visibility="only_me")
    assert await feed_of(client, bob) == []
    assert words not in await page_of(browser_of, bob)
    assert [i["type"] for i in await feed_of(client, alice, kind)] == [kind]

    await set_profile(client, alice, profile_visibility="everyone")
    await announce(db, bus, event_type, announced)  # told again: still one item
    assert len(await feed_of(client, bob, kind)) == 1


async def test_a_revoked_badge_leaves_every_feed(
    client: httpx.AsyncClient,
    db: Database,
    bus: EmbeddedBus,
    alice: Person,
    bob: Person,
    feed_redis: Redis | None,
) -> None:
    await feed_of(client, bob)
    await follow(client, bob, alice)
    _, payload, _ = KINDS["badge"]
    await announce(db, bus, "gamification.badge_awarded", payload(str(alice.id)))
    assert [i["facts"]["badge_id"] for i in await feed_of(client, bob)] == ["run_100km"]
    revoked = {"user_id": str(alice.id), "badge_id": "run_100km"}
    await announce(db, bus, "gamification.badge_revoked", revoked)
    await announce(db, bus, "gamification.badge_revoked", revoked)
    assert await feed_of(client, bob) == []


async def test_a_club_race_is_seen_by_the_clubs_members_only(
    client: httpx.AsyncClient,
    db: Database,
    bus: EmbeddedBus,
    alice: Person,
    bob: Person,
    feed_redis: Redis | None,
) -> None:
    await follow(client, bob, alice)
    _, payload, _ = KINDS["race"]
    await announce(db, bus, "competitions.finished", {**payload(str(alice.id)), "club_id": str(CLUB_ID)})
    assert await feed_of(client, bob, "race") == []
    assert [i["type"] for i in await feed_of(client, alice, "race")] == ["race"]


async def test_a_better_time_changes_the_card_not_its_place(
    client: httpx.AsyncClient,
    db: Database,
    bus: EmbeddedBus,
    alice: Person,
    bob: Person,
    feed_redis: Redis | None,
) -> None:
    await follow(client, bob, alice)
    _, payload, _ = KINDS["race"]
    await announce(db, bus, "competitions.finished", payload(str(alice.id)))
    first = await feed_of(client, bob, "race")
    await announce(db, bus, "competitions.finished", {**payload(str(alice.id)), "elapsed_s": 2600.0})
    again = await feed_of(client, bob, "race")
    assert [i["id"] for i in again] == [i["id"] for i in first]
    assert again[0]["created_at"] == first[0]["created_at"]
    assert again[0]["facts"]["elapsed_s"] == 2600.0


async def test_redelivery_keeps_one_item(
    db: Database, bus: EmbeddedBus, client: httpx.AsyncClient, alice: Person, feed_redis: Redis | None
) -> None:
    _, payload, _ = KINDS["level"]
    event = Event("gamification.level_reached", str(alice.id), payload(str(alice.id)))
    for _ in range(2):
        async with db.unit_of_work() as session:
            await handlers.put_level_in_feeds(session, event)
    assert len(await feed_of(client, alice)) == 1
    assert subject_of(RACE, alice.id, RACE_ID) != subject_of(RACE, alice.id, uuid.uuid4())
