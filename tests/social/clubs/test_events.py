"""The events clubs write, and the notifications they turn into: an invitation tells the invitee, a
request to join tells the club's admins, a new member tells the owner; withdrawing takes them back."""

from __future__ import annotations

from typing import Any

import httpx

from athlos.core.events.embedded import EmbeddedBus
from tests.activities.conftest import Person
from tests.notifications.helpers import inbox
from tests.social.clubs.conftest import join, make_club


async def titles(client: httpx.AsyncClient, person: Person) -> list[str]:
    items: list[dict[str, Any]] = (await inbox(client, person.headers))["items"]
    return [item["title"] for item in items]


async def test_invitations_requests_and_new_members_notify(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, bob: Person, carol: Person
) -> None:
    club = await make_club(client, alice, name="Dawn Patrol", join_policy="invite")
    path = f"/api/v1/clubs/{club['id']}"
    await client.patch("/api/v1/me/profile", json={"display_name": "Alice"}, headers=alice.headers)
    await client.patch("/api/v1/me/profile", json={"display_name": "Bob"}, headers=bob.headers)
    await client.patch("/api/v1/me/profile", json={"display_name": "Carol"}, headers=carol.headers)
    invited = await client.post(f"{path}/invites", json={"user_id": str(bob.id)}, headers=alice.headers)
    assert invited.status_code == 204
    await bus.drain()
    bobs = (await inbox(client, bob.headers))["items"]
    assert [(n["title"], n["link"]) for n in bobs] == [
        ("Alice invited you to the club Dawn Patrol", f"/clubs/{club['id']}")
    ]

    assert await join(client, bob, club) == "member"
    await client.patch(path, json={"join_policy": "request"}, headers=alice.headers)
    await client.patch(f"{path}/members/{bob.id}", json={"role": "admin"}, headers=alice.headers)
    assert await join(client, carol, club) == "requested"
    await bus.drain()
    assert await titles(client, alice) == ["Carol asks to join Dawn Patrol", "Bob joined Dawn Patrol"]
    assert (await titles(client, bob))[0] == "Carol asks to join Dawn Patrol"

    # Withdrawn, the request is no longer news.
    assert (await client.delete(f"{path}/membership", headers=carol.headers)).status_code == 204
    await bus.drain()
    assert await titles(client, alice) == ["Bob joined Dawn Patrol"]
    assert "Carol asks to join Dawn Patrol" not in await titles(client, bob)
