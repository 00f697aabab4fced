"""The inbox: one notification per person and source, rendered in the reader's language, read and gone."""

from __future__ import annotations

import httpx

from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from tests.accounts.factories import auth_headers, make_user
from tests.notifications.helpers import follow, inbox, raise_event, unread


async def test_a_follow_reaches_the_inbox_in_the_readers_language(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus
) -> None:
    ada = await make_user(db, display_name="Ada")
    ivan = await make_user(db, display_name="Иван")
    headers = await auth_headers(client, ivan.email)
    assert await unread(client, headers) == 0

    await follow(db, bus, ada, ivan)

    [item] = (await inbox(client, headers))["items"]
    assert item["type"] == "social.followed"
    assert item["title"] == "Ada started following you"
    assert item["read"] is False
    assert item["link"] == f"/people/{ada.id}"
    assert set(item) == {"id", "type", "created_at", "read", "title", "body", "link"}
    russian = await inbox(client, {**headers, "Accept-Language": "ru"})
    assert russian["items"][0]["title"] == "Ada подписался(-ась) на вас"
    assert await unread(client, headers) == 1
    # The one who acted is not told of their own action.
    assert (await inbox(client, await auth_headers(client, ada.email)))["items"] == []


async def test_the_same_follow_notifies_once(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus
) -> None:
    ada, bob = await make_user(db), await make_user(db)
    await follow(db, bus, ada, bob)
    await follow(db, bus, ada, bob)  # the same source raised again (a follow after an unfollow raced)
    assert len((await inbox(client, await auth_headers(client, bob.email)))["items"]) == 1


async def test_pages_newest_first_and_marking_read(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus
) -> None:
    owner = await make_user(db)
    fans = [await make_user(db, display_name=f"Fan {n}") for n in range(5)]
    for fan in fans:
        await follow(db, bus, fan, owner)
    headers = await auth_headers(client, owner.email)

    first = await inbox(client, headers, limit=3)
    second = await inbox(client, headers, limit=3, cursor=first["next_cursor"])
    titles = [item["title"] for item in first["items"] + second["items"]]
    assert titles == [f"Fan {n} started following you" for n in reversed(range(5))]
    assert second["next_cursor"] is None

    two = [item["id"] for item in first["items"][:2]]
    marked = await client.post("/api/v1/me/notifications/read", json={"ids": two}, headers=headers)
    assert marked.json() == {"marked": 2, "count": 3}
    again = await client.post("/api/v1/me/notifications/read", json={"ids": two}, headers=headers)
    assert again.json() == {"marked": 0, "count": 3}
    everything = await client.post("/api/v1/me/notifications/read", json={"all": True}, headers=headers)
    assert everything.json() == {"marked": 3, "count": 0}
    assert all(item["read"] for item in (await inbox(client, headers))["items"])


async def test_marking_read_takes_ids_or_all_and_only_ones_own(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus
) -> None:
    ada, bob, eve = await make_user(db), await make_user(db), await make_user(db)
    await follow(db, bus, ada, bob)
    bobs = (await inbox(client, await auth_headers(client, bob.email)))["items"][0]["id"]
    eve_headers = await auth_headers(client, eve.email)
    for body in ({}, {"ids": [bobs], "all": True}, {"all": False}):
        refused = await client.post("/api/v1/me/notifications/read", json=body, headers=eve_headers)
        assert refused.status_code == 422, body
        assert refused.headers["content-type"] == "application/problem+json"
    others = await client.post("/api/v1/me/notifications/read", json={"ids": [bobs]}, headers=eve_headers)
    assert others.json() == {"marked": 0, "count": 0}
    assert await unread(client, await auth_headers(client, bob.email)) == 1
    bad_cursor = await client.get("/api/v1/me/notifications", params={"cursor": "nope"}, headers=eve_headers)
    assert bad_cursor.status_code == 422
    assert (await client.get("/api/v1/me/notifications")).status_code == 401


async def test_notifications_about_a_deleted_activity_or_comment_disappear(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus
) -> None:
    owner, fan = await make_user(db), await make_user(db, display_name="Fan")
    headers = await auth_headers(client, owner.email)
    run, ride = "0190a3c5-0000-7000-8000-000000000001", "0190a3c5-0000-7000-8000-000000000002"
    for activity, comment in ((run, "c-1"), (ride, "c-2")):
        common = {"actor_id": str(fan.id), "user_id": str(owner.id), "activity_id": activity}
        await raise_event(db, "social.kudos_given", common)
        await raise_event(db, "social.comment_posted", {**common, "comment_id": comment})
    await bus.drain()
    assert await unread(client, headers) == 4

    await raise_event(db, "activity.deleted", {"activity_id": run, "owner_id": str(owner.id)})
    await raise_event(db, "social.comment_deleted", {"comment_id": "c-2", "activity_id": ride})
    await bus.drain()

    [left] = (await inbox(client, headers))["items"]
    assert left["type"] == "social.kudos_given"
    assert left["link"] == f"/activities/{ride}"
    assert await unread(client, headers) == 1
