"""The home feed: followed people's activities and one's own, newest first, by cursor, with visibility,
deletes, unfollows and blocks applied — the same on the embedded default and with Redis."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis

from athlos.core.events.embedded import EmbeddedBus
from athlos.social.feed import service, store
from athlos.social.feed.store import CAPACITY, Entry, FeedStore, feed_key
from tests.activities.conftest import Person
from tests.social.conftest import block, follow, post_activity

DAY = datetime(2026, 11, 1, 7, 0, tzinfo=UTC)
pytestmark = pytest.mark.usefixtures("no_achievements")


async def feed(client: httpx.AsyncClient, person: Person, **params: Any) -> dict[str, Any]:
    response = await client.get("/api/v1/feed", params=params, headers=person.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def feed_ids(client: httpx.AsyncClient, person: Person) -> list[str]:
    return [item["activity_id"] for item in (await feed(client, person, limit=100))["items"]]


async def run(client: httpx.AsyncClient, owner: Person, days: int, visibility: str = "everyone") -> str:
    start = (DAY + timedelta(days=days)).isoformat()
    activity_id: str = (await post_activity(client, owner, start_time=start, visibility=visibility))["id"]
    return activity_id


async def test_followed_people_and_oneself_newest_first(
    client: httpx.AsyncClient,
    bus: EmbeddedBus,
    alice: Person,
    bob: Person,
    carol: Person,
    feed_redis: Redis | None,
) -> None:
    await feed(client, alice)  # a feed read once is kept up to date by fan-out from then on
    await follow(client, alice, bob)
    await follow(client, alice, carol)
    bobs = await run(client, bob, 1)
    carols = await run(client, carol, 2)
    mine = await run(client, alice, 3)
    strangers = await run(client, carol, 4, visibility="only_me")
    await bus.drain()
    body = await feed(client, alice)
    assert [item["activity_id"] for item in body["items"]] == [mine, carols, bobs]
    first = body["items"][0]
    assert (first["type"], first["actor_id"]) == ("activity", str(alice.id))
    assert datetime.fromisoformat(first["created_at"]) == DAY + timedelta(days=3)
    assert strangers not in await feed_ids(client, carol)
    assert await feed_ids(client, bob) == [bobs]
    if feed_redis is not None:
        assert await FeedStore(feed_redis).size(alice.id) == 3


async def test_visibility_changes_and_deletes_leave_every_feed(
    client: httpx.AsyncClient,
    bus: EmbeddedBus,
    alice: Person,
    bob: Person,
    carol: Person,
    feed_redis: Redis | None,
) -> None:
    for person in (bob, carol):
        await follow(client, person, alice)
        await feed(client, person)
    hidden_later = await run(client, alice, 1)
    deleted_later = await run(client, alice, 2, visibility="followers")
    await bus.drain()
    for person in (bob, carol):
        assert await feed_ids(client, person) == [deleted_later, hidden_later]

    changed = await client.patch(
        f"/api/v1/activities/{hidden_later}", json={"visibility": "only_me"}, headers=alice.headers
    )
    assert changed.status_code == 200
    assert (
        await client.delete(f"/api/v1/activities/{deleted_later}", headers=alice.headers)
    ).status_code == 204
    await bus.drain()
    for person in (bob, carol):
        assert await feed_ids(client, person) == []
        if feed_redis is not None:
            assert await FeedStore(feed_redis).size(person.id) == 0
    assert await feed_ids(client, alice) == []

    await client.patch(
        f"/api/v1/activities/{hidden_later}", json={"visibility": "everyone"}, headers=alice.headers
    )
    await bus.drain()
    assert await feed_ids(client, bob) == [hidden_later]


async def test_follows_bring_in_and_take_out_their_activities(
    client: httpx.AsyncClient,
    bus: EmbeddedBus,
    alice: Person,
    bob: Person,
    carol: Person,
    feed_redis: Redis | None,
) -> None:
    await feed(client, alice)
    earlier = await run(client, bob, 1)
    carols = await run(client, carol, 2)
    await bus.drain()
    await follow(client, alice, bob)
    await follow(client, alice, carol)
    await bus.drain()
    assert await feed_ids(client, alice) == [carols, earlier]

    await client.delete(f"/api/v1/users/{bob.id}/follow", headers=alice.headers)
    await block(client, carol, alice)
    await bus.drain()
    assert await feed_ids(client, alice) == []
    if feed_redis is not None:
        assert await FeedStore(feed_redis).size(alice.id) == 0


async def test_pages_follow_the_cursor(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, bob: Person, feed_redis: Redis | None
) -> None:
    await follow(client, alice, bob)
    ids = [await run(client, bob, day) for day in range(5)]
    await bus.drain()
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        body = await feed(client, alice, **params)
        seen += [item["activity_id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == ids[::-1]
    bad = await client.get("/api/v1/feed", params={"cursor": "nonsense"}, headers=alice.headers)
    assert bad.status_code == 422
    assert (await client.get("/api/v1/feed")).status_code == 401


async def test_very_followed_authors_are_merged_in_when_read(
    client: httpx.AsyncClient,
    bus: EmbeddedBus,
    alice: Person,
    bob: Person,
    carol: Person,
    feed_redis: Redis | None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await follow(client, alice, bob)
    await follow(client, alice, carol)
    await feed(client, alice)
    bobs = await run(client, bob, 1)
    await bus.drain()
    monkeypatch.setattr(service, "LARGE_AUDIENCE", 0)  # carol counts as very followed from now on
    carols = await run(client, carol, 2)
    later_bob = await run(client, bob, 3)
    await bus.drain()
    assert await feed_ids(client, alice) == [later_bob, carols, bobs]
    assert [i["activity_id"] for i in (await feed(client, carol))["items"]] == [carols]
    if feed_redis is not None:
        assert await FeedStore(feed_redis).size(alice.id) == 1  # bob's later run was not fanned out either


@pytest.mark.parametrize("feed_redis", ["redis"], indirect=True)
async def test_a_feed_gone_from_redis_is_rebuilt_and_stale_entries_are_dropped(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, bob: Person, feed_redis: Redis
) -> None:
    await follow(client, alice, bob)
    ids = [await run(client, bob, day) for day in range(3)]
    await bus.drain()
    await feed_redis.delete(feed_key(alice.id))  # away for a while: the feed expired
    assert await feed_ids(client, alice) == ids[::-1]
    store = FeedStore(feed_redis)
    assert await store.size(alice.id) == 3

    ghost = Entry(uuid.uuid4(), DAY + timedelta(days=10))
    await store.push(ghost, [alice.id])
    assert await feed_ids(client, alice) == ids[::-1]
    assert await store.size(alice.id) == 3


@pytest.mark.parametrize("feed_redis", ["redis"], indirect=True)
async def test_redis_keeps_the_newest_entries_and_sql_answers_beyond(
    client: httpx.AsyncClient,
    bus: EmbeddedBus,
    alice: Person,
    feed_redis: Redis,
    monkeypatch: pytest.MonkeyPatch,
) -> None:

    monkeypatch.setattr(store, "CAPACITY", 2)
    monkeypatch.setattr(service, "CAPACITY", 2)
    await feed(client, alice)
    ids = [await run(client, alice, day) for day in range(4)]
    await bus.drain()
    assert await FeedStore(feed_redis).size(alice.id) == 2
    assert CAPACITY == 400
    first = await feed(client, alice, limit=2)
    second = await feed(client, alice, limit=2, cursor=first["next_cursor"])
    assert [i["activity_id"] for i in first["items"] + second["items"]] == ids[::-1]
