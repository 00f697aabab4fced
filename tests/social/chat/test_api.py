"""Club chat through the API: members post and read newest first by cursor, delete with a tombstone;
everyone else is refused, a club they may not see is not found, and blocked people are left out."""

from __future__ import annotations

import httpx

from athlos.core.events.embedded import EmbeddedBus
from tests.activities.conftest import Person
from tests.notifications.helpers import inbox
from tests.social.chat.conftest import post, said, texts
from tests.social.clubs.conftest import join, make_club
from tests.social.conftest import block


async def test_members_post_and_read_newest_first_by_cursor(
    client: httpx.AsyncClient, alice: Person, bob: Person
) -> None:
    club = await make_club(client, alice)
    await join(client, bob, club)
    first = await said(client, alice, club, "  Morning run at 7?  ")
    assert (first["text"], first["author_id"], first["deleted"]) == (
        "Morning run at 7?",
        str(alice.id),
        False,
    )
    for text in ("Yes", "See you at the bridge"):
        await said(client, bob, club, text)
    assert await texts(client, alice, club) == ["See you at the bridge", "Yes", "Morning run at 7?"]

    page = (await client.get(f"/api/v1/clubs/{club['id']}/messages?limit=2", headers=bob.headers)).json()
    assert [m["text"] for m in page["items"]] == ["See you at the bridge", "Yes"]
    assert await texts(client, bob, club, limit=2, cursor=page["next_cursor"]) == ["Morning run at 7?"]
    bad = await client.get(f"/api/v1/clubs/{club['id']}/messages?cursor=nonsense", headers=bob.headers)
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_cursor")


async def test_bad_messages_are_refused_with_stable_codes(client: httpx.AsyncClient, alice: Person) -> None:
    club = await make_club(client, alice)
    for text, code in (("   ", "message_empty"), ("x" * 2001, "validation_error"), ("", "validation_error")):
        response = await post(client, alice, club, text)
        assert response.status_code == 422, text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == code
    assert (await post(client, alice, club, "x" * 2000)).status_code == 201


async def test_only_members_read_and_post(
    client: httpx.AsyncClient, alice: Person, bob: Person, carol: Person
) -> None:
    club = await make_club(client, alice)
    await join(client, bob, club)
    await said(client, bob, club, "Hello")
    path = f"/api/v1/clubs/{club['id']}/messages"
    for refused in (
        await client.get(path, headers=carol.headers),
        await post(client, carol, club, "Let me in"),
    ):
        assert (refused.status_code, refused.json()["code"]) == (403, "not_a_member")

    # A member who left is refused as well, and so is one who was removed.
    assert (
        await client.delete(f"/api/v1/clubs/{club['id']}/membership", headers=bob.headers)
    ).status_code == 204
    assert (await client.get(path, headers=bob.headers)).json()["code"] == "not_a_member"
    await join(client, carol, club)
    removed = await client.delete(f"/api/v1/clubs/{club['id']}/members/{carol.id}", headers=alice.headers)
    assert removed.status_code == 204, removed.text
    assert (await post(client, carol, club, "Still here?")).json()["code"] == "not_a_member"
    assert (await client.get(path)).status_code == 401


async def test_an_invite_only_club_chat_is_not_found_for_outsiders(
    client: httpx.AsyncClient, alice: Person, bob: Person
) -> None:
    club = await make_club(client, alice, join_policy="invite")
    message = await said(client, alice, club, "Secret plans")
    hidden = await client.get(f"/api/v1/clubs/{club['id']}/messages", headers=bob.headers)
    assert (hidden.status_code, hidden.json()["code"]) == (404, "club_not_found")
    assert (await post(client, bob, club, "hi")).status_code == 404
    gone = await client.delete(f"/api/v1/club-messages/{message['id']}", headers=bob.headers)
    assert gone.status_code == 404
    chats = (await client.get("/api/v1/me/club-chats", headers=bob.headers)).json()
    assert chats == []


async def test_blocked_people_do_not_see_each_others_messages(
    client: httpx.AsyncClient, alice: Person, bob: Person, carol: Person
) -> None:
    club = await make_club(client, alice)
    await join(client, bob, club)
    await join(client, carol, club)
    await said(client, bob, club, "From Bob")
    await said(client, carol, club, "From Carol")
    await block(client, bob, carol)
    assert await texts(client, bob, club) == ["From Bob"]
    assert await texts(client, carol, club) == ["From Carol"]
    assert await texts(client, alice, club) == ["From Carol", "From Bob"]


async def test_authors_and_admins_delete_leaving_a_tombstone(
    client: httpx.AsyncClient, alice: Person, bob: Person, carol: Person
) -> None:
    club = await make_club(client, alice)
    await join(client, bob, club)
    await join(client, carol, club)
    bobs = await said(client, bob, club, "Bob's")
    carols = await said(client, carol, club, "Carol's")
    refused = await client.delete(f"/api/v1/club-messages/{carols['id']}", headers=bob.headers)
    assert (refused.status_code, refused.json()["code"]) == (403, "not_your_message")
    assert (
        await client.delete(f"/api/v1/club-messages/{bobs['id']}", headers=bob.headers)
    ).status_code == 204
    assert (
        await client.delete(f"/api/v1/club-messages/{carols['id']}", headers=alice.headers)
    ).status_code == 204
    again = await client.delete(f"/api/v1/club-messages/{bobs['id']}", headers=bob.headers)
    assert (again.status_code, again.json()["code"]) == (404, "message_not_found")
    items = (await client.get(f"/api/v1/clubs/{club['id']}/messages", headers=carol.headers)).json()["items"]
    assert [(m["deleted"], m["text"], m["author_id"]) for m in items] == [
        (True, None, None),
        (True, None, None),
    ]


async def test_posting_is_rate_limited(client: httpx.AsyncClient, alice: Person) -> None:
    club = await make_club(client, alice)
    statuses = [(await post(client, alice, club, f"message {n}")).status_code for n in range(31)]
    assert statuses[:30] == [201] * 30
    assert statuses[30] == 429


async def test_mentions_notify_members_and_a_deleted_message_takes_it_back(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, bob: Person, carol: Person
) -> None:
    club = await make_club(client, alice, name="Dawn Patrol")
    await join(client, bob, club)
    await client.patch("/api/v1/me/profile", json={"display_name": "Alice"}, headers=alice.headers)
    # Carol is not a member: she hears of nothing.
    message = await said(client, alice, club, f"@[Bob]({bob.id}) and @[Carol]({carol.id}), ready?")
    assert [m["id"] for m in message["mentions"]] == [str(bob.id), str(carol.id)]
    await bus.drain()
    bobs = (await inbox(client, bob.headers))["items"]
    assert [(n["title"], n["link"]) for n in bobs] == [
        (
            "Alice mentioned you in the chat of Dawn Patrol",
            f"/clubs/{club['id']}/chat#message-{message['id']}",
        )
    ]
    assert (await inbox(client, carol.headers))["items"] == []

    assert (
        await client.delete(f"/api/v1/club-messages/{message['id']}", headers=alice.headers)
    ).status_code == 204
    await bus.drain()
    assert (await inbox(client, bob.headers))["items"] == []


async def test_unread_counts_per_club(client: httpx.AsyncClient, alice: Person, bob: Person) -> None:
    club = await make_club(client, alice, name="Riverside Runners")
    other = await make_club(client, alice, name="Lake Swimmers")
    await join(client, bob, club)
    await join(client, bob, other)

    async def unread(person: Person) -> dict[str, int]:
        response = await client.get("/api/v1/me/club-chats", headers=person.headers)
        assert response.status_code == 200, response.text
        return {chat["club_name"]: chat["unread"] for chat in response.json()}

    assert await unread(bob) == {"Lake Swimmers": 0, "Riverside Runners": 0}
    await said(client, alice, club, "One")
    await said(client, alice, club, "Two")
    await said(client, bob, club, "Mine does not count")
    assert await unread(bob) == {"Lake Swimmers": 0, "Riverside Runners": 2}
    assert await unread(alice) == {"Lake Swimmers": 0, "Riverside Runners": 1}
